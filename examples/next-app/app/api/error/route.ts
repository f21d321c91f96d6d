import { trace } from '@opentelemetry/api';
import { withTracing } from '@spanlite/next';

export const dynamic = 'force-dynamic';

export const GET = withTracing(
  async () =>
    trace.getTracer('example-next-app').startActiveSpan('PaymentService.charge', (span) => {
      const error = new Error('card declined');
      span.recordException(error);
      span.end();
      return Response.json({ error: error.message }, { status: 500 });
    }),
  { route: '/api/error' },
);
