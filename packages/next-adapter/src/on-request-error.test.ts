/**
 * `onRequestError`, Next.js's hook for the errors it caught while handling a request: the error
 * goes on the request's span as an `exception` event, once.
 */
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterEach, expect, it } from 'vitest';
import { setupTracing, type TestTracing } from '../test/setup-tracing';
import { onRequestError } from './on-request-error';
import { withTracing } from './with-tracing';

let setup: TestTracing | undefined;
afterEach(async () => {
  await setup?.teardown();
  setup = undefined;
});

const next = () => trace.getTracer('next.js');
const errorRequest = { path: '/cart', method: 'POST', headers: {} };
const errorContext = { routerKind: 'App Router', routePath: '/cart/page', routeType: 'action' };

/** Runs `body` where Next.js runs a page: under its request span, in a render span of its own. */
async function inNextRequest(body: () => Promise<void> | void): Promise<void> {
  await next().startActiveSpan('POST', { kind: SpanKind.SERVER }, async (server) => {
    await next().startActiveSpan('render route (app) /cart', async (render) => {
      await body();
      render.end();
    });
    server.end();
  });
}

/**
 * A wrapped route handler that throws `failure`, called under Next.js's request span (the wrapper
 * records the throw), then the same error reported to the hook as Next.js reports a route's.
 */
async function wrappedThrowReported(failure: unknown, more?: () => void): Promise<void> {
  const handler = withTracing(
    async () => {
      throw failure;
    },
    { route: '/api/pay' },
  );
  await inNextRequest(async () => {
    await expect(handler(new Request('http://app.test/api/pay'))).rejects.toBe(failure);
    onRequestError(failure, errorRequest, { ...errorContext, routeType: 'route' });
    more?.();
  });
}

it("records a page's or server action's error on the request span, not on the span active then", async () => {
  setup = setupTracing();
  await inNextRequest(() => {
    onRequestError(new TypeError('cart is closed'), errorRequest, errorContext);
  });
  const spans = await setup.spans();
  const server = spans.find((s) => s.kind === SpanKind.SERVER)!;
  expect(server.events.map((e) => [e.name, e.attributes])).toEqual([
    [
      'exception',
      expect.objectContaining({
        'exception.type': 'TypeError',
        'exception.message': 'cart is closed',
        'exception.stacktrace': expect.stringContaining('cart is closed'),
      }),
    ],
  ]);
  const render = spans.find((s) => s.name === 'render route (app) /cart')!;
  expect(render.events).toEqual([]);
  // the status stays Next.js's to set (it answers 500 and sets ERROR itself)
  expect(server.status.code).toBe(SpanStatusCode.UNSET);
});

it('records an error once, however often Next.js reports it, and not again after the wrapper', async () => {
  setup = setupTracing();
  await wrappedThrowReported(new Error('payment declined'), () => {
    onRequestError(new Error('render failed'), errorRequest, errorContext);
    onRequestError(new Error('render failed'), errorRequest, errorContext);
  });
  const server = (await setup.spans()).find((s) => s.kind === SpanKind.SERVER)!;
  expect(server.events.map((e) => e.attributes?.['exception.message'])).toEqual([
    'payment declined',
    'render failed',
  ]);
});

it("leaves redirect() and notFound() alone, and never throws: no tracing, no span, a value that isn't an Error", async () => {
  expect(() => onRequestError(new Error('before registration'))).not.toThrow();
  setup = setupTracing();
  expect(() => onRequestError(new Error('no request'))).not.toThrow();
  const redirect = Object.assign(new Error('NEXT_REDIRECT'), {
    digest: 'NEXT_REDIRECT;replace;/cart;307;',
  });
  const notFound = Object.assign(new Error('NEXT_HTTP_ERROR_FALLBACK;404'), {
    digest: 'NEXT_HTTP_ERROR_FALLBACK;404',
  });
  const hostile = new Proxy(
    {},
    {
      get() {
        throw new Error('no reading me');
      },
    },
  );
  await inNextRequest(() => {
    onRequestError(redirect);
    onRequestError(notFound);
    expect(() => onRequestError(hostile)).not.toThrow();
    onRequestError('plain text');
  });
  const server = (await setup.spans()).find((s) => s.kind === SpanKind.SERVER)!;
  expect(server.events.map((e) => e.attributes?.['exception.message'])).toContain('plain text');
  expect(
    server.events.filter((e) => String(e.attributes?.['exception.message']).startsWith('NEXT_')),
  ).toEqual([]);
});

/**
 * Next.js's span of middleware in the edge sandbox, as its tracer makes it: `next.span_type` from
 * the start, and the throw recorded as it leaves the span's callback.
 */
async function inNextMiddlewareSpan(body: () => Promise<void>): Promise<void> {
  await next().startActiveSpan(
    'middleware GET',
    { attributes: { 'next.span_type': 'Middleware.execute' } },
    async (span) => {
      try {
        await body();
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      } finally {
        span.end();
      }
    },
  );
}

it("leaves a middleware throw to Next.js's own span, which records it: one event, from wrapper and hook alike", async () => {
  setup = setupTracing();
  const failure = new Error('middleware failed');
  const middleware = withTracing(async () => {
    throw failure;
  });
  await inNextMiddlewareSpan(async () => {
    try {
      await middleware(new Request('http://app.test/api/items'));
    } finally {
      onRequestError(failure, errorRequest, { ...errorContext, routeType: 'middleware' });
    }
  });
  const span = (await setup.spans()).find((s) => s.name === 'middleware GET')!;
  expect(span.events.map((e) => e.attributes?.['exception.message'])).toEqual([
    'middleware failed',
  ]);
  expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'middleware failed' });
  expect(span.attributes['http.response.status_code']).toBe(500);
});

it('knows an error-like object the wrapper recorded, by the message its event holds', async () => {
  setup = setupTracing();
  await wrappedThrowReported({ code: 'E_QUOTA', message: 'quota exceeded' });
  const server = (await setup.spans()).find((s) => s.kind === SpanKind.SERVER)!;
  expect(server.events.map((e) => e.attributes?.['exception.message'])).toEqual(['quota exceeded']);
});

it('knows a thrown value without a message the wrapper recorded, by its type', async () => {
  for (const failure of [{ code: 42 }, { code: 'E_CUSTOM' }, new Error('')]) {
    setup = setupTracing();
    await wrappedThrowReported(failure, () => {
      // another error without a message, of another type: its own event
      onRequestError(new TypeError(''), errorRequest, errorContext);
    });
    const server = (await setup.spans()).find((s) => s.kind === SpanKind.SERVER)!;
    const expected =
      failure instanceof Error ? 'Error' : failure.code === 42 ? 'Object' : 'E_CUSTOM';
    expect(server.events.map((e) => e.attributes?.['exception.type'])).toEqual([
      expected,
      'TypeError',
    ]);
    await setup.teardown();
    setup = undefined;
  }
});
