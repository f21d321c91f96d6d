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

it("records x-request-id and the requestHeaders on Next.js's request span of any request, a page's too", async () => {
  // a name that is no header name is skipped (Headers.get would throw on it, in every wrapper)
  setup = setupTracing({ requestHeaders: ['X-Tenant', 'traceparent', 'x tenant'] });
  const headers = {
    traceparent: TRACEPARENT,
    'x-request-id': 'req-7',
    'x-tenant': 'acme',
    host: 'app.test',
  };
  nextRequestSpan(headers).end();
  // other instrumentations' server spans are theirs to describe
  nextRequestSpan({ 'x-request-id': 'req-8' }, 'some-http-instrumentation').end();
  const [page, other] = await setup.spans();
  expect(page!.attributes).toMatchObject({
    'http.request.header.x-request-id': ['req-7'],
    'http.request.header.x-tenant': ['acme'],
    // as Next.js's server holds it when its request span starts: before the request span's own
    // was written in (a wrapper records the headers again as its handler sees them)
    'http.request.header.traceparent': [TRACEPARENT],
  });
  expect(other!.attributes['http.request.header.x-request-id']).toBeUndefined();
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

/** A call made in Next.js's request span, as a page, a server action or a Pages API route makes it: no wrapper. */
async function fetchInRequest(headers: Record<string, string>, urls: string[]): Promise<void> {
  const span = nextRequestSpan(headers);
  await context.with(trace.setSpan(context.active(), span), async () => {
    for (const url of urls) await fetch(url);
  });
  span.end();
}

it('sends trace headers from code no wrapper handles to the origin the client named (pages, server actions, Pages API routes)', async () => {
  setup = setupTracing();
  await fetchInRequest({ host: 'app.test:3000' }, [
    'http://app.test:3000/api/items',
    'http://elsewhere.test/api',
  ]);
  expect(setup.calls.map((call) => [call.url, call.headers.has('traceparent')])).toEqual([
    ['http://app.test:3000/api/items', true],
    ['http://elsewhere.test/api', false],
  ]);
});

it('behind a proxy: the host it passed on (with its scheme), and the Host header Next.js received', async () => {
  setup = setupTracing();
  // Next.js fills in x-forwarded-* where a proxy set none; a proxy's own win
  await fetchInRequest(
    { host: 'localhost:3000', 'x-forwarded-host': 'shop.example', 'x-forwarded-proto': 'https' },
    ['https://shop.example/api/items', 'http://localhost:3000/api/items', 'http://shop.example/x'],
  );
  expect(setup.calls.map((call) => call.headers.has('traceparent'))).toEqual([true, true, false]);
});

it('sends the unsampled trace on from a page whose request came with an unsampled traceparent (no new trace downstream)', async () => {
  setup = setupTracing();
  const unsampled = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00';
  const headers: Record<string, string> = { traceparent: unsampled, host: 'app.test:3000' };
  // as Next.js's node server runs a page: its request span started active in the context
  // extracted from the request's headers; unsampled, it is no recording span
  await context.with(propagation.extract(ROOT_CONTEXT, headers), () =>
    trace
      .getTracer('next.js')
      .startActiveSpan('GET /shelf', { kind: SpanKind.SERVER }, async (span) => {
        expect(span.isRecording()).toBe(false);
        await fetch('http://app.test:3000/api/items');
        await fetch('http://elsewhere.test/api');
        span.end();
      }),
  );
  const [own, other] = setup.calls;
  // the caller's decision goes on: the route called does not start a trace of its own
  expect(own!.headers.get('traceparent')).toMatch(
    /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-00$/,
  );
  expect(other!.headers.has('traceparent')).toBe(false);
  expect(await setup.spans()).toEqual([]);
});

it("writes Next.js's request span, not the spans Next.js starts above it (NEXT_OTEL_VERBOSE=1)", () => {
  setup = setupTracing();
  const headers: Record<string, string> = { traceparent: TRACEPARENT };
  const next = trace.getTracer('next.js');
  const extracted = propagation.extract(ROOT_CONTEXT, headers);
  const outer = next.startSpan('NextServer.getRequestHandler', {}, extracted);
  expect(headers.traceparent).toBe(TRACEPARENT);
  const server = next.startSpan('GET', { kind: SpanKind.SERVER }, trace.setSpan(extracted, outer));
  const { traceId, spanId } = server.spanContext();
  expect(headers.traceparent).toBe(`00-${traceId}-${spanId}-01`);
  server.end();
  outer.end();
});
