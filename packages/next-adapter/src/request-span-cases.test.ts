/**
 * The request span in less common shapes: a wrapped handler called by another, a method the
 * HTTP conventions do not know, a handler that uses `this`, a response object returned to more
 * than one request.
 */
import { DiagLogLevel, diag, SpanKind, trace } from '@opentelemetry/api';
import { afterEach, expect, it } from 'vitest';
import { setupTracing, type TestTracing } from '../test/setup-tracing';
import { withTracing } from './with-tracing';

let setup: TestTracing | undefined;
afterEach(async () => {
  await setup?.teardown();
  setup = undefined;
});

const request = (path: string, method = 'GET') => new Request(`http://app.test${path}`, { method });

it("gives a wrapped handler called by another an internal span, leaving its caller's span as it was", async () => {
  setup = setupTracing();
  const target = withTracing(async () => new Response('inner', { status: 202 }), {
    route: '/api/target',
  });
  const outer = withTracing(
    async () => {
      await target(request('/api/target?x=1'));
      return new Response('outer');
    },
    { route: '/api/a' },
  );
  const tracer = trace.getTracer('next.js');
  // inside Next.js's request span, and outside Next.js
  await tracer.startActiveSpan('GET', { kind: SpanKind.SERVER }, async (root) => {
    await outer(request('/api/a'));
    root.end();
  });
  await outer(request('/api/a'));
  const spans = await setup.spans();
  const outers = spans.filter((s) => s.name === 'GET /api/a');
  const inners = spans.filter((s) => s.name === 'GET /api/target');
  expect(outers).toHaveLength(2);
  expect(inners).toHaveLength(2);
  for (const [i, span] of outers.entries()) {
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.attributes).toMatchObject({ 'url.path': '/api/a', 'http.route': '/api/a' });
    expect(span.attributes['url.query']).toBeUndefined();
    expect(span.attributes['http.response.status_code']).toBe(200);
    const inner = inners[i]!;
    expect(inner.kind).toBe(SpanKind.INTERNAL);
    expect(inner.parentSpanContext?.spanId).toBe(span.spanContext().spanId);
    expect(inner.attributes).toMatchObject({
      'url.path': '/api/target',
      'url.query': 'x=1',
      'http.response.status_code': 202,
    });
  }
});

it('names a span HTTP for a method the conventions call _OTHER, and keeps the method sent', async () => {
  setup = setupTracing();
  const handler = withTracing(async () => new Response('ok'), { route: '/api/x' });
  await handler(request('/api/x', 'PROPFIND'));
  await handler(request('/api/x', 'query'));
  const [other, query] = await setup.spans();
  expect(other!.name).toBe('HTTP /api/x');
  expect(other!.attributes).toMatchObject({
    'http.request.method': '_OTHER',
    'http.request.method_original': 'PROPFIND',
  });
  // `query` stays as sent (Fetch uppercases only six methods): recorded as QUERY, with the
  // original (undici in the edge VM warns about a lowercase `patch`, through a process.emitWarning
  // the VM lacks)
  expect(query!.name).toBe('QUERY /api/x');
  expect(query!.attributes).toMatchObject({
    'http.request.method': 'QUERY',
    'http.request.method_original': 'query',
  });
});

it('takes the known methods from OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS, as a full list', async () => {
  setup = setupTracing({ env: { OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS: 'GET, PROPFIND' } });
  const handler = withTracing(async () => new Response('ok'));
  await handler(request('/', 'PROPFIND'));
  await handler(request('/', 'POST'));
  const [propfind, post] = await setup.spans();
  expect(propfind!.name).toBe('PROPFIND');
  expect(propfind!.attributes['http.request.method_original']).toBeUndefined();
  expect(post!.name).toBe('HTTP');
  expect(post!.attributes).toMatchObject({
    'http.request.method': '_OTHER',
    'http.request.method_original': 'POST',
  });
});

it('passes `this` on to the handler, before and after registerTracing', async () => {
  const worker = {
    greeting: 'hi',
    fetch: withTracing(async function (this: { greeting: string }, _request: Request) {
      return new Response(this.greeting);
    }),
  };
  expect(await (await worker.fetch(request('/'))).text()).toBe('hi');
  setup = setupTracing();
  expect(await (await worker.fetch(request('/'))).text()).toBe('hi');
  expect(await setup.spans()).toHaveLength(1);
});

it('gives a response object returned to many requests the last one’s Server-Timing entry only', async () => {
  setup = setupTracing();
  const shared = new Response(null, { status: 204, headers: { 'server-timing': 'db;dur=5' } });
  const handler = withTracing(async () => shared);
  for (let i = 0; i < 3; i++) await handler(request('/'));
  const last = (await setup.spans()).at(-1)!.spanContext();
  const value = `00-${last.traceId}-${last.spanId}-03`;
  expect(shared.headers.get('server-timing')).toBe(`db;dur=5, traceparent;desc="${value}"`);
  expect(shared.headers.get('traceresponse')).toBe(value);
});

it("keeps the app's Server-Timing metrics whole, commas inside their quoted descriptions too", async () => {
  setup = setupTracing();
  const own = 'search;desc="q=a, traceparent;b \\" ,x", db;dur=2';
  const handler = withTracing(
    async () => new Response('ok', { headers: { 'server-timing': own } }),
  );
  const returned = await handler(request('/'));
  const span = (await setup.spans())[0]!.spanContext();
  expect(returned.headers.get('server-timing')).toBe(
    `${own}, traceparent;desc="00-${span.traceId}-${span.spanId}-03"`,
  );
});

it('takes null options as none (JavaScript callers)', async () => {
  setup = setupTracing();
  const handler = withTracing(async () => new Response('ok'), null as never);
  expect((await handler(request('/'))).status).toBe(200);
});

it('records a thrown Response or plain object as an exception of its type (or code), without a warning', async () => {
  setup = setupTracing();
  const warnings: string[] = [];
  diag.setLogger(
    { error() {}, warn: (m: string) => warnings.push(m), info() {}, debug() {}, verbose() {} },
    DiagLogLevel.WARN,
  );
  try {
    for (const thrown of [
      new Response('no', { status: 401 }),
      { status: 400 },
      { code: 'ERR_X' },
    ]) {
      const handler = withTracing(async () => {
        throw thrown;
      });
      await expect(handler(request('/'))).rejects.toBe(thrown);
    }
    const spans = await setup.spans();
    expect(spans.map((span) => span.events.map((event) => event.attributes))).toEqual([
      [{ 'exception.type': 'Response' }],
      [{ 'exception.type': 'Object' }],
      [{ 'exception.type': 'ERR_X' }],
    ]);
    expect(warnings).toEqual([]);
  } finally {
    diag.disable();
  }
});
