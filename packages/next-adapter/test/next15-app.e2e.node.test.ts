/**
 * End to end on Next.js 15: examples/next-app's sources built (`next build`) and started (`next
 * start`) with examples/next15-app's Next.js 15, exporting OTLP/JSON to a loopback receiver. What
 * Next.js 15 does differently from 16 is what is checked here; the full behaviour is
 * next-app.e2e.node.test.ts's, on Next.js 16.
 */
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type OtlpReceiver,
  startOtlpReceiver,
} from '../../../examples/next-app/scripts/otlp-receiver.mjs';
import {
  buildApp,
  type StartedApp,
  appDir as sourceDir,
  startApp,
} from '../../../examples/next-app/scripts/start-app.mjs';
import { expectStaysCached } from './cached-route';
import { settled, spanType as type } from './received-traces';

const appDir = fileURLToPath(new URL('../../../examples/next15-app/', import.meta.url));
const SOURCES = [
  'app',
  'lib',
  'instrumentation.ts',
  'middleware.ts',
  'next.config.ts',
  'tsconfig.json',
];
const SERVER = 2;
const CLIENT = 3;
const CLIENT_SPAN_ID = '00f067aa0ba902b7';

let receiver: OtlpReceiver;
let app: StartedApp;

beforeAll(async () => {
  for (const name of [...SOURCES, '.next'])
    rmSync(join(appDir, name), { recursive: true, force: true });
  for (const name of SOURCES)
    cpSync(join(sourceDir, name), join(appDir, name), { recursive: true });
  await buildApp(appDir);
  receiver = await startOtlpReceiver();
  // the batch timer never fires: what arrives was flushed after each response
  app = await startApp({
    otlpUrl: receiver.url,
    dir: appDir,
    env: { OTEL_BSP_SCHEDULE_DELAY: '600000' },
  });
}, 300_000);

afterAll(async () => {
  await app?.stop();
  await receiver?.close();
});

function request(path: string, traceId: string): Promise<Response> {
  return fetch(`${app.url}${path}`, {
    headers: { traceparent: `00-${traceId}-${CLIENT_SPAN_ID}-01` },
  });
}

it('runs on Next.js 15', () => {
  const { version } = JSON.parse(
    readFileSync(join(appDir, 'node_modules/next/package.json'), 'utf8'),
  ) as { version: string };
  expect(version).toMatch(/^15\./);
});

it('leaves a cached route (revalidate) cached through its regenerations', async () => {
  await expectStaysCached(`${app.url}/api/stock`, { traceHeaders: 'any' });
});

it("keeps withTracing's route and name where Next.js 15 renames the span from the route file", async () => {
  const traceId = '15000000000000000000000000000001';
  const response = await request('/api/items/2', traceId);
  expect(await response.json()).toEqual({ id: 2, name: 'teapot' });
  const spans = await settled(receiver, traceId, ['ItemService.get', 'ItemRepository.findAll']);
  const server = spans.find((s) => s.kind === SERVER)!;
  expect(server.parentSpanId).toBe(CLIENT_SPAN_ID);
  expect(server.name).toBe('GET /api/items/[id]');
  expect(server.attributes).toMatchObject({
    'http.route': '/api/items/[id]',
    'url.path': '/api/items/2',
    'http.response.status_code': 200,
    // Next.js 15's own attribute, from the route file
    'next.route': '/api/items/[id]/route',
  });
  expect(response.headers.get('traceresponse')).toBe(`00-${traceId}-${server.spanId}-01`);
});

it("names the outer span by the method alone and redacts a signed URL's secrets in it", async () => {
  const traceId = '15000000000000000000000000000002';
  const response = await request('/api/items?X-Amz-Signature=s3cret&page=2', traceId);
  expect(response.status).toBe(200);
  const spans = await settled(receiver, traceId, ['Middleware.execute', 'ItemRepository.findAll']);
  const outer = spans.find((s) => s.parentSpanId === CLIENT_SPAN_ID)!;
  expect(outer.kind).toBe(SERVER);
  // Next.js 15 names it `GET /api/items?X-Amz-Signature=s3cret&page=2`
  expect(outer.name).toBe('GET');
  expect(outer.attributes['http.target']).toBe('/api/items?X-Amz-Signature=REDACTED&page=2');
  expect(JSON.stringify(spans.map((s) => [s.name, s.attributes]))).not.toContain('s3cret');
  const route = spans.find((s) => s.kind === SERVER && s !== outer)!;
  expect(route.parentSpanId).toBe(outer.spanId);
  expect(route.name).toBe('GET /api/items');
  expect(route.attributes['http.route']).toBe('/api/items');
  const middleware = spans.find((s) => type(s) === 'Middleware.execute')!;
  expect(middleware.parentSpanId).toBe(outer.spanId);
  expect(middleware.runtime).toBe('edge');
});

// Next.js 15 evaluates the edge route's modules before its sandbox runs register(): the example's
// module-level tracer (lib/edge-greeting.ts) records only because the wrapper noted that copy of
// the API's proxy provider for registerTracing (early-tracer-providers.ts).
it('keeps an edge route, its module-level tracer and an outbound fetch in the trace of the request', async () => {
  const edgeTrace = '15000000000000000000000000000003';
  expect((await (await request('/api/edge-direct', edgeTrace)).json()).runtime).toBe('edge');
  const edge = await settled(receiver, edgeTrace, ['EdgeGreeting.compose', 'GET /api/edge-direct']);
  const root = edge.find((s) => s.parentSpanId === CLIENT_SPAN_ID)!;
  expect(root.name).toBe('GET');
  expect(edge.find((s) => s.name === 'GET /api/edge-direct')!.parentSpanId).toBe(root.spanId);

  const chainTrace = '15000000000000000000000000000004';
  expect((await request('/api/chain', chainTrace)).status).toBe(200);
  const chain = await settled(receiver, chainTrace, ['GET /api/chain', 'ItemRepository.findAll']);
  const client = chain.find((s) => s.kind === CLIENT)!;
  // the callee's outer span (its middleware matches /api/items), then its route's span
  const downstream = chain.filter((s) => s.kind === SERVER && s.parentSpanId === client.spanId);
  expect(downstream.map((s) => s.name)).toEqual(['GET']);
  const route = chain.find((s) => s.kind === SERVER && s.parentSpanId === downstream[0]!.spanId);
  expect(route?.name).toBe('GET /api/items');
}, 30_000);
