import { trace } from '@opentelemetry/api';
import { withTracing } from '@spanlite/next';

// An edge route that no middleware matches: under `next start` the node server runs it in the
// edge sandbox with the request's headers, into which @spanlite/next writes the server span's
// context, so the route's spans stay in the request's trace.
export const runtime = 'edge';
export const dynamic = 'force-dynamic';

export const GET = withTracing(
  async () =>
    trace.getTracer('example-next-app').startActiveSpan('EdgeGreeting.compose', (span) => {
      span.end();
      return Response.json({ hello: 'from the edge, without middleware', runtime: 'edge' });
    }),
  { route: '/api/edge-direct' },
);
