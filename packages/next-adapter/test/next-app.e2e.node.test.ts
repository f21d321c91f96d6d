/**
 * End to end: `next build` and `next start` of examples/next-app (Next.js 16, Turbopack) on a free
 * loopback port, exporting OTLP/JSON to a loopback receiver started here. Telemetry disabled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type OtlpReceiver,
  type ReceivedSpan,
  startOtlpReceiver,
} from '../../../examples/next-app/scripts/otlp-receiver.mjs';
import {
  buildApp,
  type StartedApp,
  startApp,
} from '../../../examples/next-app/scripts/start-app.mjs';
import { expectStaysCached } from './cached-route';
import { COLLECTOR_CA_FILE, startDistantCollector } from './distant-collector';
import { eventually, rootsOf, settled as settledIn, spanType as type } from './received-traces';

type App = StartedApp;

// The batch timer never fires during the test: what arrives was flushed after each response.
const ENV = { OTEL_BSP_SCHEDULE_DELAY: '600000' };
// b3 before tracecontext: Next.js rewrites only `traceparent` for the route it calls after the
// middleware, so tracecontext must be the format that wins on extract (the last one listed).
const OTEL_PROPAGATORS = 'b3,tracecontext,baggage';
const SERVER = 2;
const CLIENT = 3;
const CLIENT_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN_ID = '00f067aa0ba902b7';
const EDGE_TRACE_ID = '5bf92f3577b34da6a3ce929d0e0e4736';
const B3_TRACE_ID = '80f198ee56343ba864fe8b2a57d3eff7';
const MOVED_TRACE_ID = '6bf92f3577b34da6a3ce929d0e0e4736';
const PAGE_TRACE_ID = '7bf92f3577b34da6a3ce929d0e0e4736';
const UNSAMPLED_PAGE_TRACE_ID = '8bf92f3577b34da6a3ce929d0e0e4736';
const MARKER_TRACE_ID = '9bf92f3577b34da6a3ce929d0e0e4736';
const B3_SPAN_ID = 'e457b5a2e4d86bd1';
const VERBOSE_PAGE_TRACE_ID = 'a0f92f3577b34da6a3ce929d0e0e4736';
const VERBOSE_ROUTE_TRACE_ID = 'a1f92f3577b34da6a3ce929d0e0e4736';
const VERBOSE_EDGE_TRACE_ID = 'a2f92f3577b34da6a3ce929d0e0e4736';
const VERBOSE_MIDDLEWARE_TRACE_ID = 'a3f92f3577b34da6a3ce929d0e0e4736';
const VERBOSE_SHELF_TRACE_ID = 'a4f92f3577b34da6a3ce929d0e0e4736';
const BROKEN_PAGE_TRACE_ID = 'a5f92f3577b34da6a3ce929d0e0e4736';
const DYNAMIC_EDGE_TRACE_ID = 'a6f92f3577b34da6a3ce929d0e0e4736';

let receiver: OtlpReceiver;
/** The export requests from an edge sandbox's copy of spanlite (middleware, edge routes). */
let edgeExports = 0;

function traceOf(traceId: string): ReceivedSpan[] {
  return receiver.spans.filter((s) => s.traceId === traceId);
}

/** The trace id this app answered with (`traceresponse`). */
function answeredTraceId(response: Response): string {
  const value = response.headers.get('traceresponse');
  expect(value).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]$/);
  return value!.slice(3, 35);
}

/** Every span's parent is in the trace, but for the roots, whose parent is `rootParent`. */
function expectConnected(spans: ReceivedSpan[], rootParent: string | undefined) {
  const roots = rootsOf(spans);
  expect(roots.map((s) => [s.name, s.parentSpanId])).toEqual([[expect.any(String), rootParent]]);
  return roots[0]!;
}

/** Waits until the trace holds spans of these names (or Next.js span types) and is one tree. */
function settled(traceId: string, names: string[]): Promise<ReceivedSpan[]> {
  return settledIn(receiver, traceId, names);
}

function childOf(spans: ReceivedSpan[], parent: ReceivedSpan, name: string): ReceivedSpan {
  const child = spans.find((s) => s.parentSpanId === parent.spanId && s.name === name);
  expect(child, `${name} under ${parent.name}`).toBeDefined();
  return child!;
}

beforeAll(async () => {
  await buildApp();
  receiver = await startOtlpReceiver({
    onSpans: (spans) => {
      if (spans[0]?.runtime === 'edge') edgeExports++;
    },
  });
}, 240_000);

afterAll(async () => {
  await receiver?.close();
});

describe('examples/next-app, every trace sampled', () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp({ otlpUrl: receiver.url, env: { ...ENV, OTEL_PROPAGATORS } });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
  });

  it('continues a traceparent: the client span is the server span parent; node layers nest', async () => {
    const response = await fetch(`${app.url}/api/items`, {
      headers: { traceparent: `00-${CLIENT_TRACE_ID}-${CLIENT_SPAN_ID}-01` },
    });
    expect(response.status).toBe(200);
    expect(answeredTraceId(response)).toBe(CLIENT_TRACE_ID);
    const spans = await settled(CLIENT_TRACE_ID, ['ItemRepository.findAll', 'Middleware.execute']);
    const root = expectConnected(spans, CLIENT_SPAN_ID);
    expect(root.kind).toBe(SERVER);
    const middleware = spans.find((s) => type(s) === 'Middleware.execute')!;
    expect(middleware.parentSpanId).toBe(root.spanId);
    expect(middleware.attributes['url.path']).toBe('/api/items');
    const server = spans.find((s) => s.name === 'GET /api/items' && s.kind === SERVER)!;
    expect(server.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/api/items',
      'url.path': '/api/items',
      'url.scheme': 'http',
      'http.response.status_code': 200,
      // the host the client asked for (its Host header), not the URL Next.js builds
      'server.address': new URL(app.url).hostname,
      'server.port': Number(new URL(app.url).port),
    });
    const handler = spans.find((s) => type(s) === 'AppRouteRouteHandlers.runHandler')!;
    const service = childOf(spans, handler, 'ItemService.list');
    childOf(spans, service, 'ItemRepository.findAll');
    // getRequestSpan() in the handler, where Next.js's runHandler span is the active one
    expect(server.attributes['app.items.count']).toBe(2);
    expect(spans.filter((s) => 'app.items.count' in s.attributes)).toEqual([server]);
    // the resource says which runtime each span comes from
    expect(middleware.runtime).toBe('edge');
    expect(server.runtime).toBe('nodejs');
  });

  it('continues a b3 trace', async () => {
    const response = await fetch(`${app.url}/api/items?b3`, {
      headers: { b3: `${B3_TRACE_ID}-${B3_SPAN_ID}-1` },
    });
    expect(answeredTraceId(response)).toBe(B3_TRACE_ID);
    const spans = await settled(B3_TRACE_ID, ['ItemRepository.findAll', 'Middleware.execute']);
    expectConnected(spans, B3_SPAN_ID);
  });

  it('traces the edge route and the middleware in the trace of the request', async () => {
    const response = await fetch(`${app.url}/api/edge`);
    expect(await response.json()).toEqual({ hello: 'from the edge', runtime: 'edge' });
    expect(response.headers.get('x-example-middleware')).toBe('seen');
    const traceId = answeredTraceId(response);
    const spans = await settled(traceId, ['EdgeGreeting.compose', 'Middleware.execute']);
    expectConnected(spans, undefined);
    const edgeRoute = spans.find((s) => s.name === 'GET /api/edge')!;
    expect(edgeRoute.attributes['http.route']).toBe('/api/edge');
    expect(edgeRoute.runtime).toBe('edge');
    childOf(spans, edgeRoute, 'EdgeGreeting.compose');
  });

  it('keeps an edge route that no middleware matches in the trace of the request', async () => {
    const response = await fetch(`${app.url}/api/edge-direct`, {
      headers: { traceparent: `00-${EDGE_TRACE_ID}-${CLIENT_SPAN_ID}-01` },
    });
    expect((await response.json()).runtime).toBe('edge');
    expect(answeredTraceId(response)).toBe(EDGE_TRACE_ID);
    const spans = await settled(EDGE_TRACE_ID, ['EdgeGreeting.compose', 'GET /api/edge-direct']);
    // One tree: Next.js's node request span, the edge route's spans below it.
    const root = expectConnected(spans, CLIENT_SPAN_ID);
    expect(root.kind).toBe(SERVER);
    expect(type(root)).toBe('BaseServer.handleRequest');
    const edgeRoute = spans.find((s) => s.name === 'GET /api/edge-direct')!;
    expect(edgeRoute.parentSpanId).toBe(root.spanId);
    expect(edgeRoute.attributes['http.route']).toBe('/api/edge-direct');
    childOf(spans, edgeRoute, 'EdgeGreeting.compose');
  });

  it("names a dynamic edge route wrapped without `route` by Next.js's route, its params out of url.query", async () => {
    const response = await fetch(`${app.url}/api/edge/ada?name=bob&keep=1`, {
      headers: { traceparent: `00-${DYNAMIC_EDGE_TRACE_ID}-${CLIENT_SPAN_ID}-01` },
    });
    expect((await response.json()).hello).toBe('from the edge, to ada');
    const spans = await settled(DYNAMIC_EDGE_TRACE_ID, [
      'EdgeGreeting.compose',
      'GET /api/edge/[name]',
    ]);
    expectConnected(spans, CLIENT_SPAN_ID);
    const edgeRoute = spans.find((s) => s.name === 'GET /api/edge/[name]')!;
    expect(edgeRoute.runtime).toBe('edge');
    // Next.js put name=ada in the URL it handed the route, over the client's name=bob
    expect(edgeRoute.attributes).toMatchObject({
      'http.route': '/api/edge/[name]',
      'url.path': '/api/edge/ada',
      'url.query': 'keep=1',
    });
    childOf(spans, edgeRoute, 'EdgeGreeting.compose');
  });

  it('continues the trace through an outbound fetch, with a client span', async () => {
    const response = await fetch(`${app.url}/api/chain`);
    expect(await response.json()).toEqual({ downstream: '/api/items', status: 200 });
    const traceId = answeredTraceId(response);
    const spans = await settled(traceId, ['ItemRepository.findAll', 'GET /api/chain']);
    expectConnected(spans, undefined);
    const client = spans.find((s) => s.kind === CLIENT)!;
    expect(client.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.response.status_code': 200,
    });
    expect(client.attributes['url.full']).toMatch(/\/api\/items$/);
    // Next.js's own fetch span, enriched rather than doubled
    expect(spans.filter((s) => s.kind === CLIENT)).toHaveLength(1);
    expect(client.scope).toBe('next.js');
    const chain = spans.find((s) => s.name === 'GET /api/chain')!;
    const downstream = spans.filter((s) => s.kind === SERVER && s.parentSpanId === client.spanId);
    expect(downstream).toHaveLength(1);
    expect(spans.map((s) => s.traceId)).toEqual(spans.map(() => traceId));
    expect(chain).toBeDefined();
  });

  it('continues the trace from a page, which no wrapper handles, through its fetch of an own route', async () => {
    const response = await fetch(`${app.url}/shelf`, {
      headers: {
        traceparent: `00-${PAGE_TRACE_ID}-${CLIENT_SPAN_ID}-01`,
        'x-request-id': 'shelf-1',
      },
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('teapot');
    const spans = await settled(PAGE_TRACE_ID, ['ItemRepository.findAll', 'GET /api/items']);
    const root = expectConnected(spans, CLIENT_SPAN_ID);
    expect(root.attributes['http.target']).toBe('/shelf');
    // recorded on the request span of a page too, which no wrapper handles
    expect(root.attributes['http.request.header.x-request-id']).toEqual(['shelf-1']);
    // clientTraceMetadata (next.config.ts): the page's <head> names its request span
    expect(html).toContain(
      `<meta name="traceparent" content="00-${PAGE_TRACE_ID}-${root.spanId}-01"/>`,
    );
    // getRequestSpan() in the page, rendering under Next.js's spans
    expect(spans.filter((s) => 'app.shelf.size' in s.attributes)).toEqual([root]);
    expect(root.attributes['app.shelf.size']).toBe(2);
    const client = spans.find((s) => s.kind === CLIENT)!;
    expect(client.attributes['url.full']).toMatch(/\/api\/items$/);
    // the called route's request span (Next.js's outer one: middleware matches /api/items)
    const downstream = spans.filter((s) => s.kind === SERVER && s.parentSpanId === client.spanId);
    expect(downstream).toHaveLength(1);
  });

  it("records the error a page throws on the page's request span, through onRequestError", async () => {
    const response = await fetch(`${app.url}/broken`, {
      headers: { traceparent: `00-${BROKEN_PAGE_TRACE_ID}-${CLIENT_SPAN_ID}-01` },
    });
    expect(response.status).toBe(500);
    await response.text();
    const spans = await settled(BROKEN_PAGE_TRACE_ID, ['BaseServer.handleRequest']);
    const root = expectConnected(spans, CLIENT_SPAN_ID);
    expect(root.attributes['http.target']).toBe('/broken');
    expect(root.status.code).toBe(2);
    // once, though Next.js may report a render's error for each phase it fails in; Next.js's own
    // render span carries it too, the request span had nothing of it
    expect(root.events).toEqual(['exception']);
    const render = spans.find((s) => type(s) === 'AppRender.getBodyResult')!;
    expect(render.status).toEqual({ code: 2, message: 'the shelf fell over' });
  });

  it("sends an unsampled caller's decision on from a page: the route it calls starts no trace", async () => {
    const before = new Set(receiver.spans.map((s) => s.traceId));
    const response = await fetch(`${app.url}/shelf`, {
      headers: { traceparent: `00-${UNSAMPLED_PAGE_TRACE_ID}-${CLIENT_SPAN_ID}-00` },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('teapot');
    // a sampled request after it: once its trace is in, the flushes after the page's are done
    await fetch(`${app.url}/api/items`, {
      headers: { traceparent: `00-${MARKER_TRACE_ID}-${CLIENT_SPAN_ID}-01` },
    });
    await settled(MARKER_TRACE_ID, ['ItemRepository.findAll', 'GET /api/items']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // (Next.js's start-up spans, `load route module` and the like, are traces of their own)
    const started = receiver.spans.filter(
      (s) =>
        !before.has(s.traceId) &&
        s.traceId !== MARKER_TRACE_ID &&
        ['GET /api/items', 'ItemRepository.findAll'].includes(s.name),
    );
    expect(started.map((s) => s.name)).toEqual([]);
  });

  it('leaves a cached route (revalidate) cached through its regenerations', async () => {
    await expectStaysCached(`${app.url}/api/stock`, { traceHeaders: 'none' });
  });

  it('exports every span of 100 requests, one trace per request', async () => {
    const traceIds: string[] = [];
    const edgeExportsBefore = edgeExports;
    const started = performance.now();
    for (let batch = 0; batch < 10; batch++) {
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => fetch(`${app.url}/api/items?n=${batch * 10 + i}`)),
      );
      for (const response of responses) {
        expect(response.status).toBe(200);
        traceIds.push(answeredTraceId(response));
        await response.arrayBuffer();
      }
    }
    expect(new Set(traceIds).size).toBe(100);
    const required = [
      'BaseServer.handleRequest',
      'Middleware.execute',
      'AppRouteRouteHandlers.runHandler',
      'ItemService.list',
      'ItemRepository.findAll',
      // after() work, ended after the request span: flushed on its own (the batch timer is off)
      'ItemService.recordView',
    ];
    const missing = () =>
      traceIds.flatMap((id) => {
        const names = new Set(traceOf(id).map((s) => type(s) ?? s.name));
        return required.filter((name) => !names.has(name)).map((name) => `${id}: ${name}`);
      });
    await eventually(() => {
      expect(missing()).toEqual([]);
      expect(traceIds.filter((id) => rootsOf(traceOf(id)).length !== 1)).toEqual([]);
    });
    // The middleware's copy flushes once a second at most under Next.js's own server: it made
    // an export request per request it ran (more, with its late flushes)
    const seconds = (performance.now() - started) / 1000;
    expect(edgeExports - edgeExportsBefore).toBeLessThanOrEqual(Math.ceil(seconds) + 3);
    for (const id of traceIds) {
      const spans = traceOf(id);
      expectConnected(spans, undefined);
      // exactly one request's spans in this trace
      const targets = new Set(spans.map((s) => s.attributes['url.query']).filter(Boolean));
      expect(targets.size).toBe(1);
    }
  }, 120_000);
});

// NEXT_OTEL_VERBOSE=1 (Next.js's switch for its detailed spans) starts the request's span under
// two INTERNAL spans of Next.js's own, NextServer.getRequestHandler > getServerRequestHandler.
describe('examples/next-app, NEXT_OTEL_VERBOSE=1', () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp({ otlpUrl: receiver.url, env: { ...ENV, NEXT_OTEL_VERBOSE: '1' } });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
  });

  const traceparent = (traceId: string) => ({
    traceparent: `00-${traceId}-${CLIENT_SPAN_ID}-01`,
  });

  it("exports a page's spans after its response, no other request following", async () => {
    const response = await fetch(`${app.url}/`, { headers: traceparent(VERBOSE_PAGE_TRACE_ID) });
    expect(response.status).toBe(200);
    await response.text();
    // the batch timer is off: only the flush after this response can bring them
    const spans = await settled(VERBOSE_PAGE_TRACE_ID, [
      'NextServer.getRequestHandler',
      'BaseServer.handleRequest',
    ]);
    expectConnected(spans, CLIENT_SPAN_ID);
  }, 20_000);

  it("gives getRequestSpan() in a page Next.js's request span, not the spans above it", async () => {
    const response = await fetch(`${app.url}/shelf`, {
      headers: traceparent(VERBOSE_SHELF_TRACE_ID),
    });
    expect(response.status).toBe(200);
    await response.text();
    const spans = await settled(VERBOSE_SHELF_TRACE_ID, [
      'NextServer.getRequestHandler',
      'GET /api/items',
    ]);
    const root = expectConnected(spans, CLIENT_SPAN_ID);
    expect(type(root)).toBe('NextServer.getRequestHandler');
    const page = spans.filter((s) => 'app.shelf.size' in s.attributes);
    expect(page.map((s) => [s.kind, type(s), s.attributes['http.target']])).toEqual([
      [SERVER, 'BaseServer.handleRequest', '/shelf'],
    ]);
  });

  it("enriches and names Next.js's request span, not the spans Next.js starts above it", async () => {
    const response = await fetch(`${app.url}/api/report`, {
      headers: traceparent(VERBOSE_ROUTE_TRACE_ID),
    });
    expect(response.status).toBe(200);
    const spanId = response.headers.get('traceresponse')?.slice(36, 52);
    const spans = await settled(VERBOSE_ROUTE_TRACE_ID, ['ReportService.build', 'GET /api/report']);
    const root = expectConnected(spans, CLIENT_SPAN_ID);
    expect(type(root)).toBe('NextServer.getRequestHandler');
    expect(root.name).toBe('NextServer.getRequestHandler');
    expect(root.attributes['http.route']).toBeUndefined();
    const server = spans.find((s) => s.kind === SERVER)!;
    expect(type(server)).toBe('BaseServer.handleRequest');
    expect(server.name).toBe('GET /api/report');
    expect(server.attributes).toMatchObject({
      'http.route': '/api/report',
      'http.response.status_code': 200,
    });
    expect(spanId).toBe(server.spanId);
  }, 20_000);

  it('names the route span of a request that middleware matched', async () => {
    const response = await fetch(`${app.url}/api/items`, {
      headers: traceparent(VERBOSE_MIDDLEWARE_TRACE_ID),
    });
    expect(response.status).toBe(200);
    const spans = await settled(VERBOSE_MIDDLEWARE_TRACE_ID, [
      'ItemRepository.findAll',
      'Middleware.execute',
    ]);
    expectConnected(spans, CLIENT_SPAN_ID);
    const routed = spans.filter((s) => s.attributes['http.route'] === '/api/items');
    expect(routed.map((s) => [s.name, s.kind])).toEqual([['GET /api/items', SERVER]]);
  }, 20_000);

  it('keeps an edge route that no middleware matches in the trace of the request', async () => {
    const response = await fetch(`${app.url}/api/edge-direct`, {
      headers: traceparent(VERBOSE_EDGE_TRACE_ID),
    });
    expect((await response.json()).runtime).toBe('edge');
    const spans = await settled(VERBOSE_EDGE_TRACE_ID, [
      'EdgeGreeting.compose',
      'BaseServer.handleRequest',
    ]);
    expectConnected(spans, CLIENT_SPAN_ID);
    const edgeRoute = spans.find((s) => s.name === 'GET /api/edge-direct')!;
    const server = spans.find((s) => s.kind === SERVER)!;
    expect(edgeRoute.parentSpanId).toBe(server.spanId);
  }, 20_000);
});

describe('examples/next-app, ratio 0 with error-always', () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp({
      otlpUrl: receiver.url,
      env: {
        ...ENV,
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0',
        SPANLITE_TRACES_ERRORS: 'always',
      },
    });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
  });

  it("exports the error route's complete trace and none of the ok routes'", async () => {
    const ok: string[] = [];
    for (const path of ['/api/items', '/api/edge', '/api/chain', '/api/items']) {
      const response = await fetch(`${app.url}${path}`);
      expect(response.status).toBe(200);
      // not kept; a new trace, its id random (Level 2 traceresponse flags)
      expect(response.headers.get('traceresponse')).toMatch(/-02$/);
      ok.push(answeredTraceId(response));
    }
    // redirect() throws, Next.js answers 307 (no trace headers: Next.js makes that response);
    // not an error, so its trace (an unsampled traceparent's) is not kept either
    const moved = await fetch(`${app.url}/api/moved`, {
      redirect: 'manual',
      headers: { traceparent: `00-${MOVED_TRACE_ID}-${CLIENT_SPAN_ID}-00` },
    });
    expect(moved.status).toBe(307);
    expect(new URL(moved.headers.get('location')!, app.url).pathname).toBe('/api/items');
    ok.push(MOVED_TRACE_ID);
    const failed = await fetch(`${app.url}/api/error`);
    expect(failed.status).toBe(500);
    expect(failed.headers.get('traceresponse')).toMatch(/-03$/);
    const errorTrace = answeredTraceId(failed);
    const spans = await settled(errorTrace, ['PaymentService.charge', 'GET /api/error']);
    const root = expectConnected(spans, undefined);
    expect(root.name).toBe('GET /api/error');
    expect(root.status.code).toBe(2);
    expect(root.attributes['http.response.status_code']).toBe(500);
    const handler = spans.find((s) => type(s) === 'AppRouteRouteHandlers.runHandler')!;
    childOf(spans, handler, 'PaymentService.charge');
    // the ok requests' spans, finished before the error request, were not exported
    for (const id of ok) expect(traceOf(id)).toEqual([]);
  });

  it("keeps the caller's segment when the downstream call's traceresponse says it kept the trace", async () => {
    const response = await fetch(`${app.url}/api/chain?fail=1`);
    expect(await response.json()).toEqual({ downstream: '/api/error', status: 500 });
    expect(response.headers.get('traceresponse')).toMatch(/-03$/);
    const traceId = answeredTraceId(response);
    await eventually(() => {
      const spans = traceOf(traceId);
      expect(spans.some((s) => s.name === 'PaymentService.charge')).toBe(true);
      expect(spans.some((s) => s.name === 'GET /api/chain')).toBe(true);
      expect(spans.some((s) => s.kind === CLIENT)).toBe(true);
    });
    const spans = traceOf(traceId);
    const client = spans.find((s) => s.kind === CLIENT)!;
    const downstream = spans.find((s) => s.name === 'GET /api/error')!;
    expect(downstream.parentSpanId).toBe(client.spanId);
  });
});

describe('examples/next-app, with a collector that never answers', () => {
  it('exits within seconds of SIGTERM: no request waits for its flush over 5 s', async () => {
    const hanging = await startOtlpReceiver({ delayMillis: 120_000 });
    const app = await startApp({ otlpUrl: hanging.url, env: ENV });
    try {
      for (let i = 0; i < 5; i++) expect((await fetch(`${app.url}/api/items`)).status).toBe(200);
      // Next.js waits for every waitUntil promise as it stops: with each request waiting for
      // its flush as long as the export ran, it took 17–25 s
      const stopping = performance.now();
      expect(await app.stop(20_000)).toBe(true);
      expect(performance.now() - stopping).toBeLessThan(9_000);
      expect(hanging.spans.length).toBeGreaterThan(0);
    } finally {
      await app.stop();
      await hanging.close();
    }
  }, 60_000);
});

describe('examples/next-app, stopped right after a request, its collector 40 ms away over HTTPS', () => {
  it("exports the wrapped route's spans: its flush goes to the `after` passed to registerTracing, which the server awaits as it stops", async () => {
    const collector = await startDistantCollector(Number(new URL(receiver.url).port), 40);
    const env = { ...ENV, NODE_EXTRA_CA_CERTS: COLLECTOR_CA_FILE };
    const app = await startApp({ otlpUrl: collector.url, env });
    try {
      // fetch drops a connection idle for 4 s: the flush below opens a new one, whose TLS
      // handshake takes a round trip before the spans can be sent. Without `after`, Next.js's
      // server was gone about 20 ms after SIGTERM, and none of the 11 spans arrived
      // (4 runs of 4); through `after`, its stop waits for the flush (0.2-0.4 s).
      await new Promise((resolve) => setTimeout(resolve, 4_500));
      const response = await fetch(`${app.url}/api/report`);
      const traceId = answeredTraceId(response);
      await response.arrayBuffer();
      expect(await app.stop(20_000)).toBe(true);
      await eventually(() => {
        expect(traceOf(traceId).map((s) => s.name)).toEqual(
          expect.arrayContaining([
            'GET /api/report',
            'ReportService.build',
            'ReportRepository.orders',
          ]),
        );
      });
    } finally {
      await app.stop();
      await collector.close();
    }
  }, 60_000);
});

describe('examples/next-app, stopped right after its requests', () => {
  it("exports the edge sandbox's spans of the last requests on SIGTERM (its flushes start 1 s apart)", async () => {
    const app = await startApp({ otlpUrl: receiver.url, env: ENV });
    try {
      const traceIds: string[] = [];
      for (const path of ['/api/edge', '/api/items', '/api/edge-direct']) {
        const response = await fetch(`${app.url}${path}`);
        traceIds.push(answeredTraceId(response));
        await response.arrayBuffer();
      }
      // well within the second the sandbox's next flush may wait
      expect(await app.stop(20_000)).toBe(true);
      const edgeSpans = (id: string) =>
        traceOf(id)
          .filter((s) => s.runtime === 'edge')
          .map((s) => s.name)
          .sort();
      // (a route's first request also has Next.js's `load app route module` span)
      expect(traceIds.map(edgeSpans)).toEqual([
        expect.arrayContaining(['EdgeGreeting.compose', 'GET /api/edge', 'middleware GET']),
        ['middleware GET'],
        expect.arrayContaining(['EdgeGreeting.compose', 'GET /api/edge-direct']),
      ]);
    } finally {
      await app.stop();
    }
  }, 60_000);
});
