import { trace } from '@opentelemetry/api';
import { withTracing } from '@spanlite/next';

export const runtime = 'edge';
export const dynamic = 'force-dynamic';

export const GET = withTracing(
  async () =>
    trace.getTracer('example-next-app').startActiveSpan('EdgeGreeting.compose', (span) => {
      span.end();
      return Response.json({ hello: 'from the edge', runtime: 'edge' });
    }),
  { route: '/api/edge' },
);
