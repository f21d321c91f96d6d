/**
 * The README's "Testing code you traced": an app's unit test registers tracing once with an
 * in-memory exporter, calls a wrapped route handler with a `Request` (no Next.js server around
 * it), flushes and reads the spans, through the public API of the built packages only. Also with
 * Vitest's fake timers, which hold every timer the flush after the response would wait on.
 */
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@spanlite/exporters';
import { registerTracing, withTracing } from '@spanlite/next';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';

// test/tracing.ts in the README
const exported = new InMemorySpanExporter();
const tracing = registerTracing({
  serviceName: 'test',
  exporter: exported,
  instrumentFetch: false,
  env: {},
});

// app/api/items/route.ts
const tracer = trace.getTracer('shop');
const GET = withTracing(
  async (request: Request) => {
    if (new URL(request.url).searchParams.has('fail')) throw new Error('no items today');
    const items = await tracer.startActiveSpan('ItemService.list', async (span) => {
      try {
        return [{ id: 1 }];
      } finally {
        span.end();
      }
    });
    return Response.json(items);
  },
  { route: '/api/items' },
);

beforeEach(() => exported.reset());
afterEach(() => {
  vi.useRealTimers();
});

it("exports a wrapped handler's server span and its children once flushed", async () => {
  const response = await GET(new Request('http://localhost/api/items'));
  expect(await response.json()).toEqual([{ id: 1 }]);
  expect(await tracing.forceFlush()).toBe('success');
  const spans = exported.getFinishedSpans();
  const server = spans.find((s) => s.name === 'GET /api/items')!;
  expect(server.kind).toBe(SpanKind.SERVER);
  expect(server.attributes).toMatchObject({
    'http.request.method': 'GET',
    'http.route': '/api/items',
    'http.response.status_code': 200,
  });
  const service = spans.find((s) => s.name === 'ItemService.list')!;
  expect(service.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
});

it("records a handler's throw and rethrows it", async () => {
  await expect(GET(new Request('http://localhost/api/items?fail'))).rejects.toThrow(
    'no items today',
  );
  await tracing.forceFlush();
  const [server] = exported.getFinishedSpans();
  expect(server!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'no items today' });
  expect(server!.events.map((e) => e.name)).toEqual(['exception']);
});

it('flushes with fake timers installed', async () => {
  vi.useFakeTimers();
  const response = await GET(new Request('http://localhost/api/items'));
  await response.text();
  await tracing.forceFlush();
  expect(exported.getFinishedSpans().map((s) => s.name)).toEqual([
    'ItemService.list',
    'GET /api/items',
  ]);
});
