/**
 * `getRequestSpan()`: the span for attributes of the whole request, whatever span is active in
 * the handler (Next.js's `executing api route`, the app's own child spans).
 */
import { context, SpanKind, trace } from '@opentelemetry/api';
import { afterEach, expect, it } from 'vitest';
import { setupTracing, type TestTracing } from '../test/setup-tracing';
import { getRequestSpan } from './get-request-span';
import { withTracing } from './with-tracing';

let setup: TestTracing | undefined;
afterEach(async () => {
  await setup?.teardown();
  setup = undefined;
});

const request = () => new Request('http://app.test/api/items');

/** A handler that sets `user.id` on the request span from inside a child span of its own. */
const handler = withTracing(
  async () =>
    trace.getTracer('shop').startActiveSpan('ItemService.list', (span) => {
      getRequestSpan()?.setAttribute('user.id', 'u-7');
      span.end();
      return new Response('ok');
    }),
  { route: '/api/items' },
);

it("is the wrapper's server span outside Next.js, from a child span of the handler's", async () => {
  setup = setupTracing();
  await handler(request());
  const spans = await setup.spans();
  const server = spans.find((s) => s.name === 'GET /api/items')!;
  expect(server.kind).toBe(SpanKind.SERVER);
  expect(server.attributes['user.id']).toBe('u-7');
  expect(spans.find((s) => s.name === 'ItemService.list')!.attributes['user.id']).toBeUndefined();
});

it("is Next.js's request span, not the `executing api route` span active in the handler", async () => {
  setup = setupTracing();
  const next = trace.getTracer('next.js');
  await next.startActiveSpan('GET', { kind: SpanKind.SERVER }, async (server) => {
    await next.startActiveSpan('executing api route (app) /api/items', async (span) => {
      await handler(request());
      span.end();
    });
    server.end();
  });
  const spans = await setup.spans();
  const server = spans.find((s) => s.kind === SpanKind.SERVER)!;
  expect(server.name).toBe('GET /api/items');
  expect(server.attributes['user.id']).toBe('u-7');
  for (const span of spans.filter((s) => s !== server)) {
    expect(span.attributes['user.id']).toBeUndefined();
  }
});

it('is undefined before registerTracing and without an active span; outside a request, the local root', async () => {
  expect(getRequestSpan()).toBeUndefined();
  setup = setupTracing();
  expect(getRequestSpan()).toBeUndefined();
  const root = trace.getTracer('jobs').startSpan('nightly report');
  // outside a request, the local root of the active span
  const child = trace
    .getTracer('jobs')
    .startSpan('query', {}, trace.setSpan(context.active(), root));
  context.with(trace.setSpan(context.active(), child), () => {
    expect(getRequestSpan()).toBe(root);
  });
  child.end();
  root.end();
});
