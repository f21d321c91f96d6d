/**
 * The README's Hono section, with Hono itself: `withTracing(app.fetch)`, its middleware naming the
 * span by Hono's route, and its `app.onError` recording what Hono catches.
 */
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { Hono } from 'hono';
import { routePath } from 'hono/route';
import { afterEach, expect, it } from 'vitest';
import { setupTracing, type TestTracing } from '../test/setup-tracing';
import { withTracing } from './with-tracing';

let setup: TestTracing | undefined;
afterEach(async () => {
  await setup?.teardown();
  setup = undefined;
});

/** The app of the README's example, with a route that throws. */
function readmeApp(): Hono {
  const app = new Hono();
  app.use(async (c, next) => {
    const index = c.req.routeIndex;
    await next();
    if (c.req.routeIndex === index) return; // no route matched
    const route = routePath(c);
    trace.getActiveSpan()?.setAttribute('http.route', route).updateName(`${c.req.method} ${route}`);
  });
  app.onError((error, c) => {
    const span = trace.getActiveSpan();
    span?.recordException(error);
    span?.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    span?.setAttribute('error.type', error.name);
    return c.text('Internal Server Error', 500);
  });
  app.get('/items/:id', (c) => c.json({ id: c.req.param('id') }));
  app.get('/boom', () => {
    throw new TypeError('no such shelf');
  });
  return app;
}

it("names each request's span by Hono's route, and a request no route matched by its method", async () => {
  setup = setupTracing();
  const handler = withTracing(readmeApp().fetch);
  const found = await handler(new Request('http://api.test/items/7'));
  const missing = await handler(new Request('http://api.test/nowhere'));
  expect(await found.json()).toEqual({ id: '7' });
  expect(missing.status).toBe(404);
  const [item, notFound] = await setup.spans();
  expect(item!.name).toBe('GET /items/:id');
  expect(item!.attributes['http.route']).toBe('/items/:id');
  expect(notFound!.name).toBe('GET');
  expect(notFound!.attributes['http.route']).toBeUndefined();
  expect(notFound!.status.code).toBe(SpanStatusCode.UNSET);
});

it("keeps what app.onError recorded of an error Hono caught, and Hono's 500", async () => {
  setup = setupTracing();
  const response = await withTracing(readmeApp().fetch)(new Request('http://api.test/boom'));
  expect(response.status).toBe(500);
  expect(await response.text()).toBe('Internal Server Error');
  const [span] = await setup.spans();
  expect(span!.name).toBe('GET /boom');
  expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'no such shelf' });
  expect(span!.attributes['error.type']).toBe('TypeError');
  expect(span!.attributes['http.response.status_code']).toBe(500);
  expect(span!.events.map((event) => event.attributes?.['exception.message'])).toEqual([
    'no such shelf',
  ]);
});

it('passes env and the execution context through to Hono, whose waitUntil gets the flush', async () => {
  setup = setupTracing();
  const app = new Hono<{ Bindings: { REGION: string } }>();
  app.get('/', (c) => {
    c.executionCtx.waitUntil(Promise.resolve());
    return c.text(c.env.REGION);
  });
  const waited: Promise<unknown>[] = [];
  const ctx = {
    waitUntil: (p: Promise<unknown>) => void waited.push(p),
    passThroughOnException() {},
    props: {},
  };
  const response = await withTracing(app.fetch)(
    new Request('http://api.test/'),
    { REGION: 'fra1' },
    ctx,
  );
  expect(await response.text()).toBe('fra1');
  // the app's own, then the flush of the request's span
  expect(waited).toHaveLength(2);
  await Promise.all(waited);
  expect(setup.exporter.getFinishedSpans().map((span) => span.name)).toEqual(['GET']);
});
