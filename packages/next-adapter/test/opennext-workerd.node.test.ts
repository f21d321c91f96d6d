/**
 * Next.js on Cloudflare Workers through OpenNext, emulated in workerd (Miniflare): the package's
 * NODE build (what Next.js's bundler picks for the server's code) bundled into one Worker with
 * `nodejs_compat` and `@opentelemetry/api`, `registerTracing` run lazily inside the first request,
 * Next.js's request context an AsyncLocalStorage store whose `waitUntil` is `ctx.waitUntil`, and
 * Next.js's own spans ending after the response (see fixtures/opennext-worker.mjs).
 * workerd binds what a request makes to that request: it refuses I/O from another request's async
 * context, cancels a request's timers once it has ended, and drops settlements that reach a
 * request that has ended. So every request, not only the first, must be read, traced and exported
 * in its own, and none may wait on a promise or a timer of another's. The batch timer is off:
 * every span received was flushed after a response.
 */
import { builtinModules } from 'node:module';
import type { Readable } from 'node:stream';
import type { Plugin } from 'esbuild';
import { Log, LogLevel, Miniflare } from 'miniflare';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startOtlpReceiver } from '../../../examples/next-app/scripts/otlp-receiver.mjs';
import { workerBundle } from './worker-bundle';

type Receiver = Awaited<ReturnType<typeof startOtlpReceiver>>;
type ReceivedSpan = Receiver['spans'][number];

/** What workerd prints when a request hangs, or one request's code reaches into another's. */
const CROSS_REQUEST =
  /hung|Cannot call this AsyncLocalStorage|Cannot perform I\/O on behalf of a different request|different request context/i;

/** Node's built-ins, left to workerd (`nodejs_compat`) as `node:` imports. */
const nodeBuiltins: Plugin = {
  name: 'node-builtins',
  setup(build) {
    const names = builtinModules.filter((name) => !name.startsWith('_'));
    const filter = new RegExp(`^(node:.*|(${names.join('|')})(/.*)?)$`);
    build.onResolve({ filter }, (args) => ({
      path: args.path.startsWith('node:') ? args.path : `node:${args.path}`,
      external: true,
    }));
  },
};

let receiver: Receiver;
let script: string;
const workers: Miniflare[] = [];

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  script = await workerBundle('opennext-worker.mjs', receiver.url, {
    // the server's build: @spanlite/next resolves to dist/node (@opentelemetry/api is bundled in)
    conditions: ['node', 'import', 'default'],
    plugins: [nodeBuiltins],
  });
  // the node build's request reader and detached sends, or this test proves nothing about them
  expect(script).toContain('node:async_hooks');
  expect(script).toContain('AsyncResource');
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.dispose()));
  await receiver?.close();
});

/** Miniflare's own log, kept. */
class KeptLog extends Log {
  constructor(readonly lines: string[]) {
    super(LogLevel.DEBUG);
  }
  protected override log(message: string): void {
    this.lines.push(message);
  }
}

/** A Worker of its own (a fresh isolate: the first request registers), and what it printed. */
async function startWorker(bindings: Record<string, string>): Promise<[Miniflare, string[]]> {
  const lines: string[] = [];
  const keep = (stream: Readable) => {
    let rest = '';
    stream.on('data', (chunk: Buffer) => {
      const split = (rest + chunk.toString('utf8')).split('\n');
      rest = split.pop()!;
      lines.push(...split);
    });
  };
  const worker = new Miniflare({
    modules: true,
    script,
    compatibilityDate: '2026-01-01',
    compatibilityFlags: ['nodejs_compat'],
    bindings,
    // the placeholder `request.cf`, not one fetched from Cloudflare
    cf: false,
    log: new KeptLog(lines),
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      keep(stdout);
      keep(stderr);
    },
  });
  workers.push(worker);
  await worker.ready;
  return [worker, lines];
}

/** The spans of each path: Next.js's request span and inner span, the handler's, the middleware's. */
const SPANS: Record<string, number> = {
  '/api/items': 3,
  '/api/fail': 3,
  '/page': 2,
  '/mw/api/items': 4,
  '/mw/page': 3,
  '/mw/private': 1,
};
/** Whether a wrapper answered (route handlers, and middleware's own answer), with traceresponse. */
const wrapped = (path: string) => path.includes('/api/') || path === '/mw/private';

interface Sent {
  path: string;
  i: number;
  status: number;
  traceresponse: string | null;
}

async function send(worker: Miniflare, path: string, i: number): Promise<Sent> {
  const response = await worker.dispatchFetch(`http://app.test${path}?i=${i}`);
  await response.arrayBuffer();
  return { path, i, status: response.status, traceresponse: response.headers.get('traceresponse') };
}

/**
 * A cold request (the registration's), then `count` one after another (`pause` ms apart), then
 * `count` at once.
 */
async function load(
  worker: Miniflare,
  paths: readonly string[],
  { count = 30, pause = 0 } = {},
): Promise<Sent[]> {
  const sent = [await send(worker, paths[0]!, 0)];
  for (let i = 1; i <= count; i++) {
    if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    sent.push(await send(worker, paths[i % paths.length]!, i));
  }
  const together = Array.from({ length: count }, (_, k) => count + 1 + k);
  sent.push(...(await Promise.all(together.map((i) => send(worker, paths[i % paths.length]!, i)))));
  return sent;
}

/** Waits until `done()`, for `millis` (3 s) at most. */
async function until(done: () => boolean | Promise<boolean>, millis = 3_000): Promise<void> {
  const deadline = Date.now() + millis;
  while (!(await done()) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The `waitUntil` promises that have not settled (3 s on): each one a request left hanging. */
async function pendingWaitUntil(worker: Miniflare, millis?: number): Promise<string[]> {
  const pending = async () =>
    (await (await worker.dispatchFetch('http://app.test/__waitUntil')).json()) as string[];
  await until(async () => (await pending()).length === 0, millis);
  return pending();
}

/** The spans of `service` received, once `expected` have arrived (3 s at most), and a moment on. */
async function received(service: string, expected: number): Promise<ReceivedSpan[]> {
  const of = () => receiver.spans.filter((span) => span.service === service);
  await until(() => of().length >= expected);
  await new Promise((resolve) => setTimeout(resolve, 100));
  return of();
}

/** A span's trace and span ids, as in `traceresponse` (its flags aside). */
const idsOf = (span: ReceivedSpan) => `${span.traceId}-${span.spanId}`;
const idsIn = (traceresponse: string | null) => traceresponse?.slice(3, 52) ?? '';

/**
 * Loads a Worker with `paths` and checks what came of it: the spans expected of each request
 * (`spansOf`) all exported, and no other; the `traceresponse` of every wrapped response, naming
 * an exported span where the request's spans are exported; every `waitUntil` settled; and nothing
 * of workerd's about a request reaching into another's, or hanging.
 */
async function check(
  bindings: Record<string, string>,
  paths: readonly string[],
  spansOf: (sent: Sent) => number = (s) => SPANS[s.path]!,
  traffic: { count?: number; pause?: number } = {},
): Promise<{ sent: Sent[]; spans: ReceivedSpan[] }> {
  const [worker, log] = await startWorker(bindings);
  const sent = await load(worker, paths, traffic);
  const exported = (s: Sent) => spansOf(s) > 0;
  const expected = sent.reduce((sum, s) => sum + spansOf(s), 0);
  const spans = await received(bindings.SERVICE!, expected);
  const pending = await pendingWaitUntil(worker);
  const named = new Set(spans.map(idsOf));
  expect({
    spans: spans.length,
    traceresponseMissing: sent.filter((s) => wrapped(s.path) && !s.traceresponse).map(nameOf),
    traceresponseNotExported: sent
      .filter((s) => wrapped(s.path) && exported(s) && !named.has(idsIn(s.traceresponse)))
      .map(nameOf),
    pendingWaitUntil: pending,
    workerdSaid: [...new Set(log.filter((line) => CROSS_REQUEST.test(line)))],
  }).toEqual({
    spans: expected,
    traceresponseMissing: [],
    traceresponseNotExported: [],
    pendingWaitUntil: [],
    workerdSaid: [],
  });
  return { sent, spans };
}

const nameOf = (s: Sent) => `${s.path}?i=${s.i}`;

it('traces and exports every request, not only the first one, which registered', async () => {
  // a wrapped route, a page (no wrapper: flushed as its span ends), and each behind middleware
  const paths = ['/api/items', '/page', '/mw/api/items', '/mw/page'];
  const { sent, spans } = await check({ SERVICE: 'opennext' }, paths);
  expect(sent.map((s) => s.status)).toEqual(sent.map(() => 200));
  // the wrapper's name, route and attributes on Next.js's request span, one per route request
  const items = spans.filter((span) => span.name === 'GET /api/items');
  expect(items.map((span) => span.attributes['url.query']).sort()).toEqual(
    sent
      .filter((s) => wrapped(s.path))
      .map((s) => `i=${s.i}`)
      .sort(),
  );
  for (const span of items) expect(span.attributes['http.route']).toBe('/api/items');
  const middleware = spans.filter((span) => span.name === 'middleware GET');
  expect(middleware).toHaveLength(sent.filter((s) => s.path.startsWith('/mw/')).length);
  for (const span of middleware) expect(span.attributes['http.request.method']).toBe('GET');
}, 30_000);

it('with error-always at ratio 0, exports the failed requests and leaves none waiting', async () => {
  // A root that error-always discards reaches no span processor's onEnd: its request's flush
  // must not depend on a timer another request armed. (No middleware here: see below.)
  const paths = ['/api/items', '/page', '/api/fail', '/api/items', '/api/fail'];
  const failed = (s: Sent) => s.path === '/api/fail';
  const { sent } = await check(
    { SERVICE: 'opennext-error-always', MODE: 'error-always' },
    paths,
    (s) => (failed(s) ? SPANS[s.path]! : 0),
  );
  expect(sent.filter(failed).map((s) => s.status)).toEqual(sent.filter(failed).map(() => 500));
}, 30_000);

it('releases a request the middleware answered in its own request, a moment after another', async () => {
  // The middleware's span is the only local root of a request the middleware answers: no SERVER
  // root's end releases its request's wait, and the poll's timer may be one armed in a request
  // that has ended since (workerd cancelled it). Each answered request comes 150 ms after a
  // route's, and is given a second to settle before any other request comes.
  const [worker, log] = await startWorker({ SERVICE: 'opennext-middleware' });
  const hanging: string[] = [];
  const sent: Sent[] = [];
  for (let i = 0; i < 12; i += 2) {
    sent.push(await send(worker, '/api/items', i));
    await new Promise((resolve) => setTimeout(resolve, 150));
    sent.push(await send(worker, '/mw/private', i + 1));
    hanging.push(...(await pendingWaitUntil(worker, 1_000)));
  }
  const expected = sent.reduce((sum, s) => sum + SPANS[s.path]!, 0);
  const spans = await received('opennext-middleware', expected);
  expect({
    statuses: sent.map((s) => s.status),
    spans: spans.length,
    hanging,
    workerdSaid: [...new Set(log.filter((line) => CROSS_REQUEST.test(line)))],
  }).toEqual({
    statuses: sent.map((s) => (s.path === '/mw/private' ? 403 : 200)),
    spans: expected,
    hanging: [],
    workerdSaid: [],
  });
}, 30_000);

it('releases a request waiting for a middleware span that ends after its SERVER span', async () => {
  // Next.js's middleware span ending once the response has been sent, after the request's own
  // span: again no SERVER root's end comes after it to release its request's wait.
  const paths = ['/mw/api/items', '/mw/private', '/page', '/mw/page'];
  await check(
    { SERVICE: 'opennext-late-middleware', MIDDLEWARE_SPAN_ENDS: 'after-response' },
    paths,
  );
}, 30_000);

it("keeps a flush asked for as the middleware's span ends alive in its request, when the middleware's own waitUntil keeps nothing", async () => {
  // The middleware's span ends first, in the request: the flush it asks for is made there, and
  // requests ending meanwhile join it. Were nothing in that request to keep it alive, workerd
  // would cancel its timer once the request ended, and they would all hang.
  const paths = ['/mw/api/items', '/page', '/mw/page', '/api/items'];
  await check({ SERVICE: 'opennext-proxy-event', MIDDLEWARE_WAITUNTIL: 'none' }, paths);
}, 30_000);

it("keeps every request alive for its flush while a slow collector holds another request's export", async () => {
  // A flush started by one request waits for the export another request started: workerd
  // cancels a request as hung when what it waits for is only other requests' timers and IO.
  const slow = await startOtlpReceiver({ delayMillis: 150 });
  try {
    const [worker, log] = await startWorker({
      SERVICE: 'opennext-slow-collector',
      OTLP_ENDPOINT: slow.url,
    });
    const paths = ['/api/items', '/page', '/mw/api/items', '/mw/private'];
    const sent = await load(worker, paths, { count: 16 });
    const expected = sent.reduce((sum, s) => sum + SPANS[s.path]!, 0);
    await until(() => slow.spans.length >= expected, 10_000);
    expect({
      spans: slow.spans.length,
      pendingWaitUntil: await pendingWaitUntil(worker, 5_000),
      workerdSaid: [...new Set(log.filter((line) => CROSS_REQUEST.test(line)))],
    }).toEqual({ spans: expected, pendingWaitUntil: [], workerdSaid: [] });
  } finally {
    await slow.close();
  }
}, 30_000);
