import { trace } from '@opentelemetry/api';

const tracer = trace.getTracer('example-next-app');

/** The edge routes' one piece of work, in a span of its own below the route's. */
export function composeGreeting(hello: string): Response {
  return tracer.startActiveSpan('EdgeGreeting.compose', (span) => {
    span.end();
    return Response.json({ hello, runtime: 'edge' });
  });
}
