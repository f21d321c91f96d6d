import { context, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { afterEach, expect, it } from 'vitest';
import { setupTracing, type TestTracing } from '../test/setup-tracing';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

let setup: TestTracing | undefined;
afterEach(async () => {
  await setup?.teardown();
  setup = undefined;
});

/** As Next.js's node server does: extract from the request's headers, start its request span. */
function nextRequestSpan(headers: Record<string, string> | Headers, scope = 'next.js') {
  const extracted = propagation.extract(ROOT_CONTEXT, headers);
  return context.with(extracted, () =>
    trace.getTracer(scope).startSpan('GET', { kind: SpanKind.SERVER }),
  );
}

it("writes Next.js's request span into the incoming headers it was extracted from", () => {
  setup = setupTracing();
  const headers: Record<string, string> = { traceparent: TRACEPARENT, host: 'app.test' };
  const span = nextRequestSpan(headers);
  const { traceId, spanId } = span.spanContext();
  // What Next.js hands its edge sandbox: the trace continues under the request span.
  expect(headers.traceparent).toBe(`00-${traceId}-${spanId}-01`);
  expect(traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  expect(headers.host).toBe('app.test');
  span.end();
});

it('leaves Web Headers, and the spans of other instrumentations, alone', () => {
  setup = setupTracing();
  const web = new Headers({ traceparent: TRACEPARENT });
  nextRequestSpan(web).end();
  expect(web.get('traceparent')).toBe(TRACEPARENT);
  const plain: Record<string, string> = { traceparent: TRACEPARENT };
  nextRequestSpan(plain, 'some-http-instrumentation').end();
  expect(plain.traceparent).toBe(TRACEPARENT);
});
