/**
 * `registerTracing` + `withTracing` in Cloudflare's own runtime (workerd, through Miniflare), from
 * the packages' edge builds bundled as a Worker is (`workerd` condition): set up in global scope,
 * context carried by the AsyncLocalStorage of `node:async_hooks` (compatibility flag
 * `nodejs_als`), and the spans of each request exported through `ctx.waitUntil` with the batch
 * timer switched off, so nothing is lost when the isolate stops after the response.
 */
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startOtlpReceiver } from '../../../examples/next-app/scripts/otlp-receiver.mjs';
import { workerBundle } from './worker-bundle';

type Receiver = Awaited<ReturnType<typeof startOtlpReceiver>>;
type ReceivedSpan = Receiver['spans'][number];

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

let receiver: Receiver;
let worker: Miniflare;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const script = await workerBundle('worker.mjs', receiver.url, {
    conditions: ['workerd', 'worker', 'browser', 'import', 'default'],
    external: ['node:*'],
  });
  worker = new Miniflare({
    modules: true,
    script,
    compatibilityDate: '2026-01-01',
    compatibilityFlags: ['nodejs_als'],
  });
  await worker.ready;
}, 60_000);

afterAll(async () => {
  await worker?.dispose();
  await receiver?.close();
});

async function spansOf(traceId: string, count: number): Promise<ReceivedSpan[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const spans = receiver.spans.filter((span) => span.traceId === traceId);
    if (spans.length >= count || Date.now() > deadline) return spans;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it('continues the caller’s trace and exports the request’s spans through ctx.waitUntil', async () => {
  const response = await worker.dispatchFetch('http://worker.test/hello', {
    headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`, 'user-agent': 'test/1' },
  });
  expect(await response.text()).toBe('hello from workerd');
  const spans = await spansOf(TRACE_ID, 2);
  const server = spans.find((span) => span.name === 'GET /hello')!;
  expect(server).toBeDefined();
  expect(server.parentSpanId).toBe(PARENT_ID);
  expect(server.attributes).toMatchObject({
    'http.request.method': 'GET',
    'http.route': '/hello',
    'http.response.status_code': 200,
    'user_agent.original': 'test/1',
  });
  const child = spans.find((span) => span.name === 'load greeting')!;
  expect(child.parentSpanId).toBe(server.spanId);
  expect(response.headers.get('traceresponse')).toBe(`00-${TRACE_ID}-${server.spanId}-01`);
  // the resource names the runtime: Cloudflare's, which reports a Node.js version too
  expect(server.runtime).toBe('workerd');
});

it('records a throw on the span and lets the Worker fail as it would untraced', async () => {
  const traceId = 'a'.repeat(32);
  const response = await worker.dispatchFetch('http://worker.test/fail', {
    headers: { traceparent: `00-${traceId}-${PARENT_ID}-01` },
  });
  expect(response.status).toBe(500);
  const [server] = (await spansOf(traceId, 2)).filter((span) => span.name === 'GET /hello');
  expect(server!.status).toMatchObject({ code: 2, message: 'worker failed' });
  expect(server!.attributes['error.type']).toBe('TypeError');
});

it('exports every span of concurrent requests, each request in a trace of its own', async () => {
  // One exporter and one flush serve the whole isolate: nothing made during one request (an
  // AbortSignal, a timer) may be needed by another, which workerd refuses.
  const before = receiver.spans.length;
  const responses = await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      worker.dispatchFetch(`http://worker.test/${i % 4 === 3 ? 'fail' : 'hello'}?i=${i}`),
    ),
  );
  await Promise.all(responses.map((response) => response.text()));
  const deadline = Date.now() + 10_000;
  while (receiver.spans.length - before < 80 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const received = receiver.spans.slice(before);
  expect(received).toHaveLength(80);
  expect(new Set(received.map((span) => span.traceId)).size).toBe(40);
}, 20_000);

it('traces an outbound fetch with a client span, and not the exporter’s own requests', async () => {
  const traceId = 'b'.repeat(32);
  const response = await worker.dispatchFetch('http://worker.test/out', {
    headers: { traceparent: `00-${traceId}-${PARENT_ID}-01` },
  });
  expect(response.status).toBe(200);
  const spans = await spansOf(traceId, 3);
  const server = spans.find((span) => span.name === 'GET /hello')!;
  const client = spans.find((span) => span.kind === 3)!;
  expect(client.parentSpanId).toBe(server.spanId);
  expect(client.attributes['url.full']).toBe(`${receiver.url}/downstream`);
  expect(client.attributes['http.response.status_code']).toBe(404);
  // Every span of the receiver's is one of the requests': none for the exports themselves.
  expect(receiver.spans.filter((span) => span.kind === 3)).toEqual([client]);
});
