/**
 * `NEXT_OTEL_VERBOSE=1` (Next.js's switch for its detailed spans) starts Next.js's request span
 * (SERVER) under two INTERNAL spans of its own, `NextServer.getRequestHandler` >
 * `NextServer.getServerRequestHandler`: the request span still stands for the request, and the
 * outermost span's end asks for the flush. Node only: Next.js starts these spans in its node
 * server, and the edge build looks for none (its sandbox starts no SERVER span).
 */
import { type Span, SpanKind, trace } from '@opentelemetry/api';
import { afterEach, expect, it } from 'vitest';
import { setupTracing, type TestTracing, withNextRequestContext } from '../test/setup-tracing';
import { getRequestSpan } from './get-request-span';
import { withTracing } from './with-tracing';

let setup: TestTracing | undefined;
afterEach(async () => {
  await setup?.teardown();
  setup = undefined;
});

/** Runs `body` in Next.js's request span, started as Next.js does with NEXT_OTEL_VERBOSE=1. */
async function inVerboseRequest<T>(body: (server: Span) => Promise<T>): Promise<T> {
  const next = trace.getTracer('next.js');
  return next.startActiveSpan('NextServer.getRequestHandler', async (outer) => {
    const result = await next.startActiveSpan('NextServer.getServerRequestHandler', (inner) =>
      next.startActiveSpan('GET', { kind: SpanKind.SERVER }, async (server) => {
        const value = await body(server);
        // Next.js names it at its end: by the method alone, finding no route under these spans
        server.updateName('GET');
        server.end();
        inner.end();
        return value;
      }),
    );
    outer.end();
    return result;
  });
}

it("enriches and names Next.js's request span, not the spans Next.js starts above it", async () => {
  setup = setupTracing();
  const handler = withTracing(async () => new Response('ok'), { route: '/api/report' });
  const next = trace.getTracer('next.js');
  const response = await inVerboseRequest(() =>
    next.startActiveSpan('executing api route (app) /api/report', async (span) => {
      const answer = await handler(new Request('http://app.test/api/report'));
      span.end();
      return answer;
    }),
  );
  const spans = await setup.spans();
  const server = spans.find((s) => s.kind === SpanKind.SERVER)!;
  expect(server.name).toBe('GET /api/report');
  expect(server.attributes).toMatchObject({
    'http.route': '/api/report',
    'url.path': '/api/report',
    'http.response.status_code': 200,
  });
  const outer = spans.find((s) => s.parentSpanContext === undefined)!;
  expect(outer.name).toBe('NextServer.getRequestHandler');
  expect(outer.attributes['http.route']).toBeUndefined();
  expect(response.headers.get('traceresponse')?.slice(36, 52)).toBe(server.spanContext().spanId);
});

it("hands the flush of a request no wrapper handled to waitUntil as Next.js's outermost span ends", async () => {
  setup = setupTracing();
  const waited = await withNextRequestContext(() => inVerboseRequest(async () => {}));
  expect(waited).toHaveLength(1);
  await Promise.all(waited);
  expect(setup.exporter.getFinishedSpans().map((s) => s.name)).toEqual([
    'GET',
    'NextServer.getServerRequestHandler',
    'NextServer.getRequestHandler',
  ]);
});

it('gives getRequestSpan() the request span, not the INTERNAL spans Next.js starts above it', async () => {
  setup = setupTracing();
  const handler = withTracing(async () => {
    getRequestSpan()?.setAttribute('user.id', 'u-7');
    return new Response('ok');
  });
  await inVerboseRequest(() => handler(new Request('http://app.test/api/report')));
  const spans = await setup.spans();
  const server = spans.find((s) => s.kind === SpanKind.SERVER)!;
  expect(server.attributes['user.id']).toBe('u-7');
  expect(spans.filter((s) => s.attributes['user.id'] !== undefined)).toEqual([server]);
});
