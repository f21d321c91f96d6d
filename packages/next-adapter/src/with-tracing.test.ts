import {
  context,
  type Span,
  SpanKind,
  type SpanOptions,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { StackContextManager } from '@spanlite/core';
import { InMemorySpanExporter } from '@spanlite/exporters';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  settledFlag,
  setupTracing,
  type TestTracing,
  withNextRequestContext,
} from '../test/setup-tracing';
import { withEdgeTracing } from './with-edge-tracing';
import { withTracing } from './with-tracing';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_ID}-01`;

let setup: TestTracing | undefined;
afterEach(async () => {
  await setup?.teardown();
  setup = undefined;
});

function request(path: string, headers: Record<string, string> = {}, method = 'GET'): Request {
  return new Request(`http://app.test:3000${path}`, { method, headers });
}

/**
 * `run` inside a request span of Next.js's tracer (`GET`, a SERVER span unless `options` say
 * otherwise), which ends once `run` is done, as Next.js ends its own after the handler.
 */
async function inNextSpan(options: SpanOptions, run: (root: Span) => Promise<unknown>) {
  const tracer = trace.getTracer('next.js');
  await tracer.startActiveSpan('GET', { kind: SpanKind.SERVER, ...options }, async (root) => {
    await run(root);
    root.end();
  });
}

describe('withTracing', () => {
  it('returns the very response the handler returned, adding only trace headers', async () => {
    setup = setupTracing();
    const response = new Response('hello', { status: 201, headers: { 'x-own': 'kept' } });
    const handler = withTracing(async () => response, { route: '/api/items' });
    const returned = await handler(request('/api/items?q=1', { 'user-agent': 'ua/1' }));
    expect(returned).toBe(response);
    expect(returned.status).toBe(201);
    expect(await returned.text()).toBe('hello');
    expect(returned.headers.get('x-own')).toBe('kept');
    const [span] = await setup.spans();
    expect(span!.name).toBe('GET /api/items');
    expect(span!.kind).toBe(SpanKind.SERVER);
    expect(span!.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/api/items',
      'url.scheme': 'http',
      'url.query': 'q=1',
      'http.route': '/api/items',
      'http.response.status_code': 201,
      'user_agent.original': 'ua/1',
      'server.address': 'app.test',
      'server.port': 3000,
    });
    const { traceId, spanId } = span!.spanContext();
    // a new trace: sampled, and its trace id random (W3C Trace Context Level 3 draft traceresponse
    // "trace-flags": `sampled` and `random-trace-id`)
    expect(returned.headers.get('traceresponse')).toBe(`00-${traceId}-${spanId}-03`);
    expect(returned.headers.get('server-timing')).toBe(
      `traceparent;desc="00-${traceId}-${spanId}-03"`,
    );
  });

  it('lets a thrown error reach the caller unchanged, recorded on the span', async () => {
    setup = setupTracing();
    const error = new TypeError('boom');
    const handler = withTracing(() => {
      throw error;
    });
    await expect(handler(request('/x'))).rejects.toBe(error);
    const thrownString = withTracing(async () => Promise.reject('plain string'));
    await expect(thrownString(request('/y'))).rejects.toBe('plain string');
    const [first, second] = await setup.spans();
    expect(first!.status.code).toBe(SpanStatusCode.ERROR);
    expect(first!.events.map((e) => e.name)).toEqual(['exception']);
    expect(first!.attributes['error.type']).toBe('TypeError');
    expect(second!.status.code).toBe(SpanStatusCode.ERROR);
  });

  it("treats Next.js's redirect() and notFound() throws as the responses they become, not errors", async () => {
    setup = setupTracing({ sampler: 'parentbased_traceidratio', ratio: 0, errors: 'always' });
    // what next/navigation's redirect('/login'), permanentRedirect(), notFound() and forbidden()
    // throw, and a static prerender's bail-out; Next.js turns each into a response of its own
    const thrown = [
      Object.assign(new Error('NEXT_REDIRECT'), { digest: 'NEXT_REDIRECT;replace;/login;307;' }),
      Object.assign(new Error('NEXT_REDIRECT'), { digest: 'NEXT_REDIRECT;push;/a;b?c=1;308;' }),
      Object.assign(new Error('NEXT_HTTP_ERROR_FALLBACK;404'), {
        digest: 'NEXT_HTTP_ERROR_FALLBACK;404',
      }),
      Object.assign(new Error('NEXT_HTTP_ERROR_FALLBACK;403'), {
        digest: 'NEXT_HTTP_ERROR_FALLBACK;403',
      }),
      Object.assign(new Error('Dynamic server usage: headers'), { digest: 'DYNAMIC_SERVER_USAGE' }),
      Object.assign(new Error('bail out'), { digest: 'NEXT_PRERENDER_INTERRUPTED' }),
      Object.assign(new Error('headers() rejects'), { digest: 'HANGING_PROMISE_REJECTION' }),
      // notFound() of Next.js 14 and 15.0
      Object.assign(new Error('NEXT_NOT_FOUND'), { digest: 'NEXT_NOT_FOUND' }),
    ];
    for (const error of thrown) {
      const handler = withTracing(async () => {
        throw error;
      });
      await expect(handler(request('/go'))).rejects.toBe(error);
    }
    // ratio 0 with error-always: of these requests only a real error's is kept
    const failure = new Error('database down');
    await expect(
      withTracing(async () => Promise.reject(failure))(request('/real-error')),
    ).rejects.toBe(failure);
    const spans = await setup.spans();
    expect(spans.map((s) => s.attributes['url.path'])).toEqual(['/real-error']);
  });

  it('records the status a redirect() throw stands for, and keeps other digests as errors', async () => {
    setup = setupTracing();
    const redirect = Object.assign(new Error('NEXT_REDIRECT'), {
      digest: 'NEXT_REDIRECT;replace;/login;307;',
    });
    const notFound = Object.assign(new Error('x'), { digest: 'NEXT_HTTP_ERROR_FALLBACK;404' });
    // a digest of some other library, and malformed Next.js ones: ordinary errors
    const others = [
      Object.assign(new Error('render failed'), { digest: '2948731' }),
      Object.assign(new Error('bad'), { digest: 'NEXT_REDIRECT;replace;/x;200;' }),
      Object.assign(new Error('bad'), { digest: 'NEXT_HTTP_ERROR_FALLBACK;500' }),
      // statuses and types Next.js itself does not take (it rethrows them: a 500)
      Object.assign(new Error('bad'), { digest: 'NEXT_REDIRECT;replace;/x;301;' }),
      Object.assign(new Error('bad'), { digest: 'NEXT_REDIRECT;bogus;/x;307;' }),
      Object.assign(new Error('bad'), { digest: 'NEXT_HTTP_ERROR_FALLBACK;418' }),
    ];
    for (const error of [redirect, notFound, ...others]) {
      await expect(withTracing(async () => Promise.reject(error))(request('/r'))).rejects.toBe(
        error,
      );
    }
    const spans = await setup.spans();
    expect(spans.map((s) => s.status.code)).toEqual([
      SpanStatusCode.UNSET,
      SpanStatusCode.UNSET,
      ...others.map(() => SpanStatusCode.ERROR),
    ]);
    expect(spans[0]!.attributes['http.response.status_code']).toBe(307);
    expect(spans[1]!.attributes['http.response.status_code']).toBe(404);
    expect(spans[0]!.events).toEqual([]);
    expect(spans[0]!.attributes['error.type']).toBeUndefined();
    expect(spans[2]!.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('records the host the client asked for as server.address, not the URL Next.js built', async () => {
    setup = setupTracing();
    const handler = withTracing(async () => new Response('ok'));
    // Next.js builds request.url from its own hostname (localhost); the Host header and a
    // proxy's X-Forwarded-Host name the host the client used
    await handler(new Request('http://localhost:3000/a', { headers: { host: '127.0.0.1:3000' } }));
    await handler(
      new Request('http://localhost:3000/b', {
        headers: { host: '10.0.0.5:3000', 'x-forwarded-host': 'shop.example' },
      }),
    );
    await handler(
      new Request('http://localhost:3000/c', {
        headers: { 'x-forwarded-host': 'shop.example', 'x-forwarded-proto': 'https' },
      }),
    );
    const [a, b, c] = await setup.spans();
    expect(a!.attributes).toMatchObject({ 'server.address': '127.0.0.1', 'server.port': 3000 });
    // a host named without a port is on its scheme's default port, recorded as the HTTP
    // conventions ask (server.port: "Conditionally Required: If available and server.address is set")
    expect(b!.attributes).toMatchObject({ 'server.address': 'shop.example', 'server.port': 80 });
    expect(c!.attributes).toMatchObject({ 'server.address': 'shop.example', 'server.port': 443 });
  });

  it('records the scheme the client used behind a TLS proxy, and propagates to that origin', async () => {
    setup = setupTracing();
    // outside Next.js (Hono, Bun, Deno behind a proxy) request.url has the hop's scheme
    const handler = withTracing(async () => {
      await fetch('https://shop.example/api/stock');
      return new Response('ok');
    });
    await handler(
      new Request('http://10.0.0.5:3000/a', {
        headers: { host: 'shop.example', 'x-forwarded-proto': 'https' },
      }),
    );
    const server = (await setup.spans()).find((s) => s.kind === SpanKind.SERVER)!;
    expect(server.attributes).toMatchObject({
      'url.scheme': 'https',
      'server.address': 'shop.example',
    });
    expect(setup.calls[0]!.headers.get('traceparent')).toMatch(/^00-/);
  });

  it('propagates to the origin a proxy named with its default port, as URL writes it', async () => {
    setup = setupTracing();
    // `X-Forwarded-Host: shop.example:443` over https is https://shop.example, the origin a fetch
    // to https://shop.example/… has
    const handler = withTracing(async () => {
      await fetch('https://shop.example/api/stock');
      await fetch('http://app.internal/api/stock');
      return new Response('ok');
    });
    await handler(
      new Request('http://10.0.0.5:3000/a', {
        headers: { 'x-forwarded-host': 'shop.example:443', 'x-forwarded-proto': 'https' },
      }),
    );
    await handler(new Request('http://10.0.0.5:3000/b', { headers: { host: 'app.internal:080' } }));
    const traced = setup.calls.map((call) => call.headers.get('traceparent') !== null);
    expect(traced).toEqual([true, false, false, true]);
  });

  it('records 303 for a redirect() from a POST Next.js takes for a server action, as Next.js answers', async () => {
    setup = setupTracing();
    const redirect = Object.assign(new Error('NEXT_REDIRECT'), {
      digest: 'NEXT_REDIRECT;replace;/done;307;',
    });
    const handler = withTracing(async () => Promise.reject(redirect));
    const post = (headers: Record<string, string>) => request('/form', headers, 'POST');
    for (const req of [
      post({ 'content-type': 'application/x-www-form-urlencoded' }),
      post({ 'content-type': 'multipart/form-data; boundary=x' }),
      post({ 'next-action': 'abc123', 'content-type': 'text/plain' }),
      post({ 'content-type': 'application/json' }),
    ]) {
      await expect(handler(req)).rejects.toBe(redirect);
    }
    const spans = await setup.spans();
    expect(spans.map((s) => s.attributes['http.response.status_code'])).toEqual([
      303, 303, 303, 307,
    ]);
  });

  it("redacts signed-URL query values in url.query (the conventions' list)", async () => {
    setup = setupTracing();
    const handler = withTracing(async () => new Response('ok'));
    await handler(request('/download?file=a.pdf&sig=abc123&se=2030-01-01'));
    const [span] = await setup.spans();
    expect(span!.attributes['url.query']).toBe('file=a.pdf&sig=REDACTED&se=2030-01-01');
  });

  it('passes the handler its arguments and returns non-Response values as they are', async () => {
    setup = setupTracing();
    const ctx = { params: Promise.resolve({ id: '7' }) };
    const handler = withTracing(async (_req: Request, c: typeof ctx) => ({ got: await c.params }));
    expect(await handler(request('/items/7'), ctx)).toEqual({ got: { id: '7' } });
  });

  it('continues the trace of an incoming traceparent, and of b3 when configured', async () => {
    setup = setupTracing({ propagators: ['tracecontext', 'b3'] });
    const handler = withTracing(async () => new Response('ok'));
    await handler(request('/a', { traceparent: TRACEPARENT }));
    await handler(request('/b', { b3: `${TRACE_ID}-${PARENT_ID}-1` }));
    const [a, b] = await setup.spans();
    expect(a!.spanContext().traceId).toBe(TRACE_ID);
    expect(a!.parentSpanContext?.spanId).toBe(PARENT_ID);
    expect(b!.spanContext().traceId).toBe(TRACE_ID);
    expect(b!.parentSpanContext?.spanId).toBe(PARENT_ID);
  });

  it('sets ERROR on 5xx and, with ratio 0 and error-always, keeps and reports the segment', async () => {
    setup = setupTracing({ sampler: 'parentbased_traceidratio', ratio: 0, errors: 'always' });
    const ok = withTracing(async () => new Response('ok'));
    const failing = withTracing(async () => new Response('no', { status: 503 }));
    const okResponse = await ok(request('/ok'));
    const failed = await failing(request('/fail'));
    // not sampled / sampled, each with the new trace's random-trace-id flag
    expect(okResponse.headers.get('traceresponse')).toMatch(/-02$/);
    expect(failed.headers.get('traceresponse')).toMatch(/-03$/);
    const spans = await setup.spans();
    expect(spans.map((s) => s.attributes['url.path'])).toEqual(['/fail']);
    expect(spans[0]!.status.code).toBe(SpanStatusCode.ERROR);
  });

  it("keeps the ERROR status and error.type an app's own error handler set before answering 5xx", async () => {
    setup = setupTracing();
    // as Hono's app.onError does: the framework catches the throw and answers 500 itself
    const recorded = withTracing(async () => {
      const span = trace.getActiveSpan()!;
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'no stock for 42' });
      span.setAttribute('error.type', 'OutOfStock');
      return new Response('no', { status: 500 });
    });
    const statusOnly = withTracing(async () => {
      trace.getActiveSpan()!.setStatus({ code: SpanStatusCode.ERROR, message: 'db down' });
      return new Response('no', { status: 503 });
    });
    await recorded(request('/recorded'));
    await statusOnly(request('/status-only'));
    const [first, second] = await setup.spans();
    expect(first!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'no stock for 42' });
    expect(first!.attributes['error.type']).toBe('OutOfStock');
    expect(second!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'db down' });
    expect(second!.attributes['error.type']).toBe('503');
  });

  it('takes one requestHeaders name given alone (JavaScript) as a list of one', async () => {
    setup = setupTracing({ requestHeaders: 'X-Tenant' as unknown as string[] });
    await withTracing(async () => new Response('ok'))(request('/h', { 'x-tenant': 't1', x: 'no' }));
    const [span] = await setup.spans();
    expect(span!.attributes['http.request.header.x-tenant']).toEqual(['t1']);
    expect(span!.attributes['http.request.header.x']).toBeUndefined();
  });

  it('records x-request-id and allow-listed request headers only', async () => {
    // a name that is no header name is skipped: Headers.get threw on it, and the wrapper then
    // traced no request at all
    setup = setupTracing({ requestHeaders: ['X-Tenant', 'x tenant'] });
    const handler = withTracing(async () => new Response('ok'));
    await handler(request('/h', { 'x-request-id': 'r1', 'x-tenant': 't1', cookie: 'secret' }));
    const [span] = await setup.spans();
    expect(span!.attributes['http.request.header.x-request-id']).toEqual(['r1']);
    expect(span!.attributes['http.request.header.x-tenant']).toEqual(['t1']);
    expect(JSON.stringify(span!.attributes)).not.toContain('secret');
  });

  it('enriches an active request span instead of starting a second one', async () => {
    setup = setupTracing();
    const tracer = trace.getTracer('next.js');
    const handler = withTracing(async () => new Response('ok', { status: 404 }), {
      route: '/api/[id]',
    });
    await tracer.startActiveSpan('GET /api/[id]', { kind: SpanKind.SERVER }, async (root) => {
      await tracer.startActiveSpan('executing api route', async (inner) => {
        await handler(request('/api/3'));
        inner.end();
      });
      root.end();
    });
    const spans = await setup.spans();
    expect(spans.map((s) => s.name)).toEqual(['executing api route', 'GET /api/[id]']);
    expect(spans[1]!.attributes).toMatchObject({
      'http.route': '/api/[id]',
      'http.response.status_code': 404,
    });
  });

  // Next.js 14 and 15, once a route handler has returned (build/templates/app-route.js), name
  // their request span from the route file's path; Next.js 16 from the route.
  async function servedAsNext15(
    file: string,
    handler: (request: Request) => Promise<Response>,
    path = '/api/x',
  ) {
    const tracer = trace.getTracer('next.js');
    await tracer.startActiveSpan(`GET ${path}`, { kind: SpanKind.SERVER }, async (root) => {
      await handler(request(path));
      root.setAttributes({
        'next.route': file,
        'http.route': file,
        'next.span_name': `GET ${file}`,
      });
      root.updateName(`GET ${file}`);
      root.end();
    });
    const spans = await setup!.spans();
    return spans[spans.length - 1]!;
  }

  it("keeps the route it named Next.js's span with when Next.js 14 or 15 renames it from the file", async () => {
    setup = setupTracing();
    const named = withTracing(async () => new Response('ok'), { route: '/api/items/[id]' });
    const root = await servedAsNext15('/api/items/[id]/route', named);
    expect(root.name).toBe('GET /api/items/[id]');
    expect(root.attributes['http.route']).toBe('/api/items/[id]');
    // Next.js's own attribute is left as Next.js wrote it
    expect(root.attributes['next.route']).toBe('/api/items/[id]/route');
    // Next.js 16 writes its route at the end too: the option still wins where they differ
    const custom = withTracing(async () => new Response('ok'), { route: '/api/items/:id' });
    const as16 = await servedAsNext15('/api/items/[id]', custom);
    expect(as16.name).toBe('GET /api/items/:id');
    expect(as16.attributes['http.route']).toBe('/api/items/:id');
  });

  it("turns Next.js 14 and 15's route file path into the route when no route was given", async () => {
    setup = setupTracing();
    const unnamed = withTracing(async () => new Response('ok'));
    const fromFile = await servedAsNext15('/(shop)/api/@modal/items/[id]/route', unnamed);
    expect(fromFile.name).toBe('GET /api/items/[id]');
    expect(fromFile.attributes['http.route']).toBe('/api/items/[id]');
    // Next.js 16 writes the route itself: left as it is, also one that ends in `route`
    for (const [route, path] of [
      ['/api/route-like', '/api/route-like'],
      ['/api/route', '/api/route'],
      ['/api/[id]/route', '/api/7/route'],
      ['/api/ünits/route', '/api/%C3%BCnits/route'],
    ]) {
      const asNext16 = await servedAsNext15(route!, unnamed, path);
      expect(asNext16.name).toBe(`GET ${route}`);
      expect(asNext16.attributes['http.route']).toBe(route);
    }
    // Next.js 15's file path for app/api/route/route.ts; and on Windows
    expect((await servedAsNext15('/api/route/route', unnamed, '/api/route')).name).toBe(
      'GET /api/route',
    );
    expect((await servedAsNext15('\\api\\items\\route', unnamed, '/api/items')).name).toBe(
      'GET /api/items',
    );
  });

  it("leaves the app's own renaming, and spans not Next.js's, as they are", async () => {
    setup = setupTracing();
    const renaming = withTracing(
      async () => {
        const root = trace.getActiveSpan()!;
        root.setAttribute('http.route', '/api/a/custom');
        root.updateName('GET /api/a/custom');
        return new Response('ok');
      },
      { route: '/api/a' },
    );
    const tracer = trace.getTracer('next.js');
    await tracer.startActiveSpan('GET /api/a', { kind: SpanKind.SERVER }, async (root) => {
      await renaming(request('/api/a'));
      root.end();
    });
    // a span of the app's own around a wrapped handler (a poller calling it, say)
    const plain = withTracing(async () => new Response('ok'));
    await trace
      .getTracer('mine')
      .startActiveSpan('GET /feeds poller', { attributes: { 'http.method': 'GET' } }, async (s) => {
        await plain(request('/feeds'));
        s.end();
      });
    const [own, served, poller] = await setup.spans();
    expect(own!.name).toBe('GET /api/a/custom');
    expect(own!.attributes['http.route']).toBe('/api/a/custom');
    expect(poller!.name).toBe('GET /feeds poller');
    // not enriched (HTTP conventions: a server span's "Span kind MUST be SERVER"): the handler
    // gets a SERVER span of its own below the app's span
    expect(poller!.attributes['url.path']).toBeUndefined();
    expect(served).toMatchObject({ name: 'GET', kind: SpanKind.SERVER });
    expect(served!.attributes['url.path']).toBe('/feeds');
    expect(served!.parentSpanContext?.spanId).toBe(poller!.spanContext().spanId);
  });

  it("scrubs signed-URL secrets from Next.js's http.target on the span it enriches", async () => {
    setup = setupTracing();
    const tracer = trace.getTracer('next.js');
    const handler = withTracing(async () => new Response('ok'), { route: '/download' });
    const target = '/download?file=a&X-Goog-Signature=abc';
    await tracer.startActiveSpan(
      'GET',
      { kind: SpanKind.SERVER, attributes: { 'http.target': target } },
      async (root) => {
        await handler(request(target));
        root.end();
      },
    );
    const [root] = await setup.spans();
    expect(root!.attributes).toMatchObject({
      'http.target': '/download?file=a&X-Goog-Signature=REDACTED',
      'url.query': 'file=a&X-Goog-Signature=REDACTED',
    });
  });

  it("tidies Next.js's request spans it does not enrich: secrets out of http.target, no path for a name without a route", async () => {
    setup = setupTracing();
    const tracer = trace.getTracer('next.js');
    const target = '/download?file=a&X-Amz-Signature=abc&sig=def';
    const request = (name: string, attributes: Record<string, string> = {}) =>
      tracer
        .startSpan(name, {
          kind: SpanKind.SERVER,
          attributes: { 'http.method': 'GET', 'http.target': target, ...attributes },
        })
        .end();
    // the outer request span when middleware matches, as Next.js 14 and 15 name it at its end
    request(`GET ${target}`, { 'next.span_name': `GET ${target}` });
    // an RSC request; an absolute-form request target
    request(`RSC GET ${target}`);
    tracer
      .startSpan(`GET http://app.test${target}`, {
        kind: SpanKind.SERVER,
        attributes: { 'http.method': 'GET', 'http.target': `http://app.test${target}` },
      })
      .end();
    // named once a basePath was taken off the URL (http.target keeps it)
    tracer
      .startSpan(`GET ${target}`, {
        kind: SpanKind.SERVER,
        attributes: { 'http.method': 'GET', 'http.target': `/base${target}` },
      })
      .end();
    // as Next.js 16 names it; and a request span Next.js found the route of
    request('GET');
    request('GET /download', { 'http.route': '/download' });
    // not Next.js's, or not a request span: left alone
    trace.getTracer('mine').startSpan(`GET ${target}`, { kind: SpanKind.SERVER }).end();
    tracer.startSpan(`render ${target}`).end();
    const spans = await setup.spans();
    expect(spans.map((s) => s.name)).toEqual([
      'GET',
      'RSC GET',
      'GET',
      'GET',
      'GET',
      'GET /download',
      `GET ${target}`,
      `render ${target}`,
    ]);
    for (const span of spans.slice(0, 6)) {
      expect(span.attributes['http.target']).toMatch(
        /\/download\?file=a&X-Amz-Signature=REDACTED&sig=REDACTED$/,
      );
    }
    expect(spans[0]!.attributes['next.span_name']).toBe(
      'GET /download?file=a&X-Amz-Signature=REDACTED&sig=REDACTED',
    );
  });

  it('gives url.path back the basePath Next.js takes off the URL it hands a route handler', async () => {
    setup = setupTracing({ basePath: '/base' });
    const handler = withTracing(async () => new Response('ok'), { route: '/api/items' });
    for (const [target, path] of [
      ['/base/api/items?page=2', '/api/items?page=2'],
      ['/base', '/'],
      ['/api/items', '/api/items'],
    ]) {
      const attributes = { 'http.method': 'GET', 'http.target': target! };
      await inNextSpan({ attributes }, () => handler(request(path!)));
    }
    const spans = await setup.spans();
    expect(spans.map((s) => s.attributes['url.path'])).toEqual([
      '/base/api/items',
      '/base',
      '/api/items',
    ]);
    expect(spans[0]!.attributes['url.query']).toBe('page=2');
    // HTTP conventions, http.route: "SHOULD include the application root if there is one"
    for (const span of spans) {
      expect([span.name, span.attributes['http.route']]).toEqual([
        'GET /base/api/items',
        '/base/api/items',
      ]);
    }
  });

  it("puts the basePath in front of the route on the edge sandbox's span too", async () => {
    setup = setupTracing({ basePath: '/docs/' });
    // In the edge sandbox Next.js's outermost span is INTERNAL, without http.target
    for (const [url, route] of [
      ['http://localhost:3000/docs/api/edge', '/api/edge'],
      ['http://localhost:3000/docs', '/'],
      ['http://localhost:3000/docs/files/a/b', '/files/[...path]'],
    ]) {
      const handler = withTracing(async () => new Response('ok'), { route });
      await inNextSpan({ kind: SpanKind.INTERNAL }, () => handler(new Request(url!)));
    }
    const spans = await setup.spans();
    expect(spans.map((s) => [s.name, s.attributes['http.route']])).toEqual([
      ['GET /docs/api/edge', '/docs/api/edge'],
      ['GET /docs', '/docs'],
      ['GET /docs/files/[...path]', '/docs/files/[...path]'],
    ]);
  });

  it("names an edge route by Next.js's next.route without the option, and leaves out of url.query the parameters Next.js put in", async () => {
    setup = setupTracing();
    // Next.js hands an edge route its URL with the route's parameters in the query (a client's
    // own `id` replaced), and starts the sandbox's outermost span with `next.route`
    const cases: [url: string, route: string, option?: string][] = [
      ['/api/items/42?id=42', '/api/items/[id]'],
      ['/files/a/b?x=1&slug=a&slug=b', '/files/[...slug]'],
      ['/docs?lang=en', '/docs/[[...slug]]', '/docs/[[...slug]]'],
      ['/search/a%20b?q=a+b&term=a+b', '/search/[term]'],
    ];
    for (const [path, route, option] of cases) {
      const handler = withTracing(
        async () => new Response('ok'),
        option === undefined ? undefined : { route: option },
      );
      await inNextSpan({ kind: SpanKind.INTERNAL, attributes: { 'next.route': route } }, () =>
        handler(request(path)),
      );
    }
    // a wrapped handler the edge route calls: its own request, neither the route nor its params
    const inner = withTracing(async () => new Response('inner'));
    const outer = withTracing(async () => inner(request('/other?x=1&id=5')));
    await inNextSpan(
      { kind: SpanKind.INTERNAL, attributes: { 'next.route': '/api/items/[id]' } },
      () => outer(request('/api/items/42?id=42')),
    );
    // a node route's request span is a SERVER span: Next.js names it itself, and its query is the
    // client's (Next.js puts no parameters in)
    const node = withTracing(async () => new Response('ok'));
    await inNextSpan({ attributes: { 'next.route': '/api/items/[id]' } }, () =>
      node(request('/api/items/42?id=99')),
    );
    const spans = await setup.spans();
    expect(
      spans.map((s) => [s.name, s.attributes['http.route'], s.attributes['url.query']]),
    ).toEqual([
      ['GET /api/items/[id]', '/api/items/[id]', undefined],
      ['GET /files/[...slug]', '/files/[...slug]', 'x=1'],
      ['GET /docs/[[...slug]]', '/docs/[[...slug]]', 'lang=en'],
      ['GET /search/[term]', '/search/[term]', 'q=a+b'],
      ['GET', undefined, 'x=1&id=5'],
      ['GET /api/items/[id]', '/api/items/[id]', undefined],
      ['GET', undefined, 'id=99'],
    ]);
  });

  it('records a Response.error() as a failed request without a status code', async () => {
    setup = setupTracing();
    const failed = Response.error();
    expect(await withTracing(async () => failed)(request('/gone'))).toBe(failed);
    const [span] = await setup.spans();
    expect(span!.attributes['http.response.status_code']).toBeUndefined();
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe('_OTHER');
  });

  it("puts the basePath in front of the route Next.js writes on a page's span, which no wrapper handles", async () => {
    setup = setupTracing({ basePath: '/docs' });
    const tracer = trace.getTracer('next.js');
    const page = (name: string, route: string) =>
      tracer
        .startSpan(name, {
          kind: SpanKind.SERVER,
          attributes: { 'http.method': 'GET', 'http.route': route, 'next.route': route },
        })
        .end();
    page('GET /shelf', '/shelf');
    page('RSC GET /blog/[slug]', '/blog/[slug]');
    // a name of Next.js's that is not {method} {route}: the route only
    page('render route (app) /shelf', '/shelf');
    const spans = await setup.spans();
    expect(spans.map((s) => [s.name, s.attributes['http.route']])).toEqual([
      ['GET /docs/shelf', '/docs/shelf'],
      ['RSC GET /docs/blog/[slug]', '/docs/blog/[slug]'],
      ['render route (app) /shelf', '/docs/shelf'],
    ]);
  });

  it('puts the basePath option in front of the route of a span the wrapper starts (Hono, Bun)', async () => {
    setup = setupTracing({ basePath: '/shop' });
    const handler = withTracing(async () => new Response('ok'), { route: '/items/[id]' });
    await handler(new Request('http://e.test/shop/items/7'));
    const [span] = await setup.spans();
    expect([span!.name, span!.attributes['http.route']]).toEqual([
      'GET /shop/items/[id]',
      '/shop/items/[id]',
    ]);
  });

  it('takes no part of a path for a basePath: a rewrite shortens it too', async () => {
    setup = setupTracing();
    // middleware rewrote /t/4711/api/items to /api/items: the tenant id is no application root
    const handler = withTracing(async () => new Response('ok'), { route: '/api/items' });
    const attributes = { 'http.method': 'GET', 'http.target': '/t/4711/api/items' };
    await inNextSpan({ attributes }, () => handler(request('/api/items')));
    const [span] = await setup.spans();
    expect([span!.name, span!.attributes['http.route']]).toEqual(['GET /api/items', '/api/items']);
  });

  it('puts the basePath in front of the route Next.js names once the handler returns', async () => {
    setup = setupTracing({ basePath: '/docs' });
    const handler = withTracing(async () => new Response('ok'));
    for (const [target, path, written] of [
      ['/docs/api/items/7', '/api/items/7', '/api/items/[id]/route'],
      ['/docs/', '/', '/route'],
      // Next.js 16 writes the route itself, without the basePath
      ['/docs/api/items/7', '/api/items/7', '/api/items/[id]'],
    ]) {
      const attributes = { 'http.method': 'GET', 'http.target': target! };
      await inNextSpan({ attributes }, async (root) => {
        await handler(request(path!));
        // Next.js 14 and 15 write the route file's path once the handler has returned
        root.updateName(`GET ${written}`);
        root.setAttributes({ 'http.route': written, 'next.route': written });
      });
    }
    const spans = await setup.spans();
    expect(spans.map((s) => [s.name, s.attributes['http.route']])).toEqual([
      ['GET /docs/api/items/[id]', '/docs/api/items/[id]'],
      ['GET /docs', '/docs'],
      ['GET /docs/api/items/[id]', '/docs/api/items/[id]'],
    ]);
  });

  it('redacts signed-URL secrets in the name of a Next.js request span it does not rename', async () => {
    setup = setupTracing();
    trace
      .getTracer('next.js')
      .startSpan('render /x?file=a&sig=abc', { kind: SpanKind.SERVER })
      .end();
    const [span] = await setup.spans();
    expect(span!.name).toBe('render /x?file=a&sig=REDACTED');
  });

  it("records the 500 Next.js answers a throw with, on Next.js's span only", async () => {
    setup = setupTracing();
    const error = new Error('database down');
    const handler = withTracing(async () => Promise.reject(error), { route: '/api/items' });
    await inNextSpan({}, () => expect(handler(request('/api/items'))).rejects.toBe(error));
    // outside Next.js (Hono, Workers) the framework decides what a throw becomes
    await expect(handler(request('/api/items'))).rejects.toBe(error);
    const [inNext, outside] = await setup.spans();
    expect(inNext!.attributes['http.response.status_code']).toBe(500);
    expect(inNext!.status.code).toBe(SpanStatusCode.ERROR);
    expect(outside!.attributes['http.response.status_code']).toBeUndefined();
    expect(outside!.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('leaves immutable responses alone', async () => {
    setup = setupTracing();
    const redirect = Response.redirect('http://app.test/elsewhere', 307);
    const handler = withTracing(async () => redirect);
    expect(await handler(request('/r'))).toBe(redirect);
  });

  it('calls the handler as it is before registerTracing', async () => {
    const response = new Response('plain');
    const handler = withTracing(async () => response);
    const returned = await handler(request('/p'));
    expect(returned).toBe(response);
    expect(returned.headers.has('traceresponse')).toBe(false);
  });

  it('changes nothing with OTEL_SDK_DISABLED=true', async () => {
    setup = setupTracing({ env: { OTEL_SDK_DISABLED: 'true' } });
    const response = new Response('plain');
    const returned = await withTracing(async () => response)(request('/d'));
    expect(returned).toBe(response);
    expect(returned.headers.has('traceresponse')).toBe(false);
    expect(await setup.spans()).toEqual([]);
    expect(setup.calls).toEqual([]);
    const original = Symbol.for('@spanlite/next.original-fetch');
    expect((globalThis.fetch as unknown as Record<symbol, unknown>)[original]).toBeUndefined();
  });

  it('can leave out traceresponse and Server-Timing', async () => {
    setup = setupTracing({ traceResponse: false, serverTiming: false });
    const returned = await withTracing(async () => new Response('ok'))(request('/n'));
    expect(returned.headers.has('traceresponse')).toBe(false);
    expect(returned.headers.has('server-timing')).toBe(false);
  });
});

describe('flush after the response', () => {
  it.each([
    ['Next.js', '@next/request-context'],
    // Vercel's runtime sets up its own for every function: Hono on Vercel has only this one.
    ['Vercel', '@vercel/request-context'],
  ])("goes to the request context's waitUntil where %s provides one", async (_, name) => {
    setup = setupTracing();
    const waited = await withNextRequestContext(async () => {
      await withTracing(async () => new Response('ok'))(request('/w'));
    }, name);
    expect(waited).toHaveLength(1);
    await Promise.all(waited);
    expect(setup.exporter.getFinishedSpans()).toHaveLength(1);
  });

  it("hands the flush of a request no wrapper handled (a page, a 404) to the request context's waitUntil", async () => {
    // workerd (OpenNext) cancels a request's timers once it ends: a flush asked for by a page's
    // request span and nobody's to keep alive never settled, and every later flush joined it
    setup = setupTracing();
    const waited = await withNextRequestContext(async () => {
      trace.getTracer('next.js').startSpan('GET /', { kind: SpanKind.SERVER }).end();
    });
    expect(waited).toHaveLength(1);
    await Promise.all(waited);
    expect(setup.exporter.getFinishedSpans().map((s) => s.name)).toEqual(['GET /']);
  });

  it("settles the flush as Next.js's request span ends even when error-always discards it (no onEnd, no poll needed)", async () => {
    setup = setupTracing({ sampler: 'parentbased_traceidratio', ratio: 0, errors: 'always' });
    const realSetTimeout = globalThis.setTimeout;
    // the scheduler's poll (1 ms, then longer) never fires, as in workerd once the request that
    // armed it has ended
    globalThis.setTimeout = ((callback: () => void, ms?: number) =>
      ms !== undefined && ms >= 1 && ms <= 50
        ? realSetTimeout(() => {}, 0)
        : realSetTimeout(callback, ms)) as typeof setTimeout;
    try {
      const handler = withTracing(async () => new Response('ok'), { route: '/api/ok' });
      let root: Span | undefined;
      const waited = await withNextRequestContext(async () => {
        await trace
          .getTracer('next.js')
          .startActiveSpan('GET', { kind: SpanKind.SERVER }, async (span) => {
            root = span;
            await handler(request('/api/ok'));
          });
      });
      const flushes = waited.map(settledFlag);
      await new Promise((resolve) => realSetTimeout(resolve, 10));
      expect(flushes.map((done) => done())).not.toContain(true);
      root!.end(); // not kept: ratio 0, no error
      await new Promise((resolve) => realSetTimeout(resolve, 10));
      expect(flushes.length).toBeGreaterThan(0);
      expect(flushes.map((done) => done())).not.toContain(false);
      expect(setup.exporter.getFinishedSpans()).toEqual([]);
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
  });

  it('goes to after() when the app passed it and there is no request context', async () => {
    const tasks: Array<() => unknown> = [];
    setup = setupTracing({ after: (task) => void tasks.push(task) });
    await withTracing(async () => new Response('ok'))(request('/a'));
    expect(tasks).toHaveLength(1);
    await tasks[0]!();
    expect(setup.exporter.getFinishedSpans()).toHaveLength(1);
  });

  it("goes to the waitUntil of a second argument (Vercel functions' context)", async () => {
    setup = setupTracing();
    const waited: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => void waited.push(p) };
    await withTracing(async (_r: Request, _c: typeof ctx) => new Response('ok'))(
      request('/c'),
      ctx,
    );
    expect(waited).toHaveLength(1);
    await Promise.all(waited);
    expect(setup.exporter.getFinishedSpans()).toHaveLength(1);
  });

  it("flushes a span that ends after the response under the request's waitUntil (Workers)", async () => {
    setup = setupTracing();
    const waited: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => void waited.push(p) };
    const tracer = trace.getTracer('app');
    let lateWork: Promise<void> | undefined;
    const fetchHandler = withTracing(async (_r: Request, _e: object, c: typeof ctx) => {
      // work the Worker leaves running after its response, as ctx.waitUntil allows
      const span = tracer.startSpan('audit.write');
      lateWork = new Promise<void>((resolve) => setTimeout(resolve, 20)).then(() => span.end());
      c.waitUntil(lateWork);
      return new Response('ok');
    });
    await fetchHandler(request('/w'), {}, ctx);
    await lateWork;
    // the handler's waitUntil, the wrapper's flush, and one more for the late span's flush
    expect(waited).toHaveLength(3);
    await Promise.all(waited);
    // the batch timer (5 s) has not fired: the late span came with the flushes
    expect(setup.exporter.getFinishedSpans().map((s) => s.name)).toEqual(['GET', 'audit.write']);
  });

  it("flushes a streamed answer's span that ends past flushWaitMillis under the request's waitUntil (an edge route)", async () => {
    // In Next.js's edge sandbox the request's local root is the route's span, which ends as the
    // handler returns its streamed Response; an AI SDK's spans (`ai.streamText`, `invoke_agent`)
    // start in the handler and end with the stream, however long it streams.
    setup = setupTracing({ flushWaitMillis: 20 });
    const tracer = trace.getTracer('ai');
    const waited = await withNextRequestContext(async () => {
      const handler = withTracing(
        async () => {
          const span = tracer.startSpan('ai.streamText');
          let sent = 0;
          const body = new ReadableStream<Uint8Array>({
            async pull(controller) {
              await new Promise((resolve) => setTimeout(resolve, 20));
              if (sent++ < 4) controller.enqueue(new TextEncoder().encode(`chunk ${sent} `));
              else {
                span.end();
                controller.close();
              }
            },
          });
          return new Response(body);
        },
        { route: '/api/chat' },
      );
      const response = await handler(request('/api/chat'));
      // the client reads the whole answer: about 100 ms, past flushWaitMillis
      expect(await response.text()).toBe('chunk 1 chunk 2 chunk 3 chunk 4 ');
    });
    // the request's flush, then the late span's
    expect(waited).toHaveLength(2);
    await Promise.all(waited);
    // the batch timer (5 s) has not fired: the stream's span came with the flushes
    expect(setup.exporter.getFinishedSpans().map((s) => s.name)).toEqual([
      'GET /api/chat',
      'ai.streamText',
    ]);
  });

  it('gathers the spans a request leaves ending one by one after its response into a few exports', async () => {
    // work left running (unawaited calls) whose spans end one by one, each in a task of its
    // own: each had an export of its own
    let exports = 0;
    const exporter = new InMemorySpanExporter();
    const exportBatch = exporter.export.bind(exporter);
    exporter.export = (spans, done) => {
      exports++;
      exportBatch(spans, done);
    };
    setup = setupTracing({ exporter });
    const waited: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => void waited.push(p) };
    const tracer = trace.getTracer('app');
    let lateWork: Promise<void> | undefined;
    let lateMillis = 0;
    const handler = withTracing(async (_r: Request, _c: typeof ctx) => {
      const spans = Array.from({ length: 30 }, (_, i) => tracer.startSpan(`call ${i}`));
      lateWork = (async () => {
        const start = performance.now();
        for (const span of spans) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          span.end();
        }
        lateMillis = performance.now() - start;
      })();
      return new Response('ok');
    });
    await handler(request('/fan-out'), ctx);
    await lateWork;
    await Promise.all(waited);
    // the batch timer (5 s) has not fired: every span came with the flushes after the response
    expect(exporter.getFinishedSpans()).toHaveLength(31);
    // the request's own flush, and one for each 20 ms the late spans took to end (a few ms
    // unless the machine stalls)
    expect(exports).toBeLessThanOrEqual(2 + Math.ceil(lateMillis / 20));
  });

  it('leaves the spans a poller started in a request makes past flushWaitMillis to the batch timer', async () => {
    // a poller's setInterval started in a request keeps that request's context for good: its
    // later ticks' spans start long after the request has ended
    setup = setupTracing({ flushWaitMillis: 20 });
    const waited: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => void waited.push(p) };
    const tracer = trace.getTracer('app');
    let poll: Promise<void> | undefined;
    const handler = withTracing(async (_r: Request, _c: typeof ctx) => {
      poll = new Promise<void>((resolve) => setTimeout(resolve, 80)).then(() =>
        tracer.startSpan('poll').end(),
      );
      return new Response('ok');
    });
    await handler(request('/start'), ctx);
    await poll;
    expect(waited).toHaveLength(1); // the request's own flush only
    await Promise.all(waited);
    expect(setup.exporter.getFinishedSpans().map((s) => s.name)).toEqual(['GET']);
  });

  it("flushes an after()-style span under Next.js's request context waitUntil", async () => {
    setup = setupTracing();
    const tracer = trace.getTracer('next.js');
    const waited = await withNextRequestContext(async () => {
      let later: Promise<void> | undefined;
      const handler = withTracing(async () => {
        const span = tracer.startSpan('after: analytics');
        later = new Promise<void>((resolve) => setTimeout(resolve, 20)).then(() => span.end());
        return new Response('ok');
      });
      await handler(request('/a'));
      await later;
    });
    expect(waited).toHaveLength(2);
    await Promise.all(waited);
    expect(setup.exporter.getFinishedSpans().map((s) => s.name)).toEqual([
      'GET',
      'after: analytics',
    ]);
  });

  it("goes to the waitUntil of Workers' and Hono's fetch(request, env, ctx)", async () => {
    setup = setupTracing();
    const waited: Promise<unknown>[] = [];
    const env = { OTEL_SERVICE_NAME: 'worker' };
    const ctx = {
      waitUntil: (p: Promise<unknown>) => void waited.push(p),
      passThroughOnException() {},
    };
    const fetchHandler = withTracing(
      async (_r: Request, _e: typeof env, _c: typeof ctx) => new Response('ok'),
    );
    await fetchHandler(request('/w'), env, ctx);
    expect(waited).toHaveLength(1);
    await Promise.all(waited);
    expect(setup.exporter.getFinishedSpans()).toHaveLength(1);
  });
});

describe('arguments that throw when read', () => {
  const revoked = () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  };
  const throwingWaitUntil = () => ({
    get waitUntil(): never {
      throw new Error('no waitUntil here');
    },
  });

  it('a context whose waitUntil getter throws, or a revoked Proxy, gets the response as the bare handler would', async () => {
    setup = setupTracing();
    const response = new Response('ok');
    const handler = withTracing(async (_r: Request, ..._rest: unknown[]) => response);
    await expect(handler(request('/a'), throwingWaitUntil())).resolves.toBe(response);
    await expect(handler(request('/b'), {}, throwingWaitUntil())).resolves.toBe(response);
    await expect(handler(request('/c'), revoked())).resolves.toBe(response);
    // not a Request (a revoked Proxy cannot be asked): the handler is called as it is
    await expect(handler(revoked() as Request)).resolves.toBe(response);
    const middleware = withEdgeTracing(async (_r: Request, _e: unknown) => response);
    await expect(middleware(request('/d'), throwingWaitUntil())).resolves.toBe(response);
    await expect(middleware(request('/e'), revoked())).resolves.toBe(response);
    expect((await setup.spans()).map((span) => span.name)).toEqual([
      'GET',
      'GET',
      'GET',
      'GET',
      'GET',
    ]);
  });
});

describe('handlers with a call or bind of their own', () => {
  it('are called as they are, with their this', async () => {
    setup = setupTracing();
    const self = { name: 'worker' };
    const seen: unknown[] = [];
    const handler = Object.assign(
      function (this: unknown) {
        seen.push(this);
        return new Response('real');
      },
      { bind: 'metadata', call: () => new Response('not this one') },
    );
    const traced = withTracing(handler);
    expect(await (await traced.call(self, request('/a'))).text()).toBe('real');
    expect(seen).toEqual([self]);
    expect(await setup.spans()).toHaveLength(1);
  });
});

describe('registerTracing({ contextManager })', () => {
  it('registers the context manager given (Workers pass one over node:async_hooks)', async () => {
    const manager = new StackContextManager();
    const withSpy = vi.spyOn(manager, 'with');
    setup = setupTracing({ contextManager: manager });
    const tracer = trace.getTracer('app');
    const handler = withTracing(async () => {
      tracer.startSpan('inside').end();
      return new Response('ok');
    });
    await handler(request('/cm'));
    expect(withSpy).toHaveBeenCalled();
    const [inside, server] = await setup.spans();
    expect(inside!.parentSpanContext?.spanId).toBe(server!.spanContext().spanId);
  });
});

describe('flush after the response, when the request span ends later (Next.js)', () => {
  it('waits for the local root to end, then exports it with the handler’s spans', async () => {
    setup = setupTracing();
    const tracer = trace.getTracer('next.js');
    const waited: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => void waited.push(p) };
    const handler = withTracing(
      async (_r: Request, _c: typeof ctx) => {
        trace.getTracer('app').startSpan('load').end();
        return new Response('ok');
      },
      { route: '/api/items' },
    );
    const root = tracer.startSpan('GET', { kind: SpanKind.SERVER });
    await context.with(trace.setSpan(context.active(), root), () =>
      handler(request('/api/items'), ctx),
    );
    expect(waited).toHaveLength(1);
    const isDone = settledFlag(waited[0]!);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(isDone()).toBe(false);
    root.end(); // Next.js ends its span once the response is sent
    await waited[0];
    expect(setup.exporter.getFinishedSpans().map((s) => s.name)).toEqual([
      'load',
      'GET /api/items',
    ]);
  });

  it('shares one flush among requests that end together', async () => {
    setup = setupTracing();
    const waited: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => void waited.push(p) };
    const handler = withTracing(async (_r: Request, _c: typeof ctx) => new Response('ok'));
    await Promise.all([handler(request('/1'), ctx), handler(request('/2'), ctx)]);
    expect(waited).toHaveLength(2);
    expect(waited[0]).toBe(waited[1]);
    await waited[0];
    expect(setup.exporter.getFinishedSpans()).toHaveLength(2);
  });

  it('releases a root that ends without being exported (a discarded error-always segment)', async () => {
    setup = setupTracing({ sampler: 'parentbased_traceidratio', ratio: 0, errors: 'always' });
    const tracer = trace.getTracer('next.js');
    const waited: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => void waited.push(p) };
    const handler = withTracing(async (_r: Request, _c: typeof ctx) => new Response('ok'));
    const root = tracer.startSpan('GET', { kind: SpanKind.SERVER });
    await context.with(trace.setSpan(context.active(), root), () => handler(request('/ok'), ctx));
    root.end();
    await waited[0]; // within the poll's backoff, not the 60 s wait
    expect(setup.exporter.getFinishedSpans()).toEqual([]);
  });

  it('flushes after flushWaitMillis when the request span never ends', async () => {
    setup = setupTracing({ flushWaitMillis: 30 });
    const tracer = trace.getTracer('next.js');
    const waited: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => void waited.push(p) };
    const handler = withTracing(async (_r: Request, _c: typeof ctx) => {
      trace.getTracer('app').startSpan('inner').end();
      return new Response('ok');
    });
    const root = tracer.startSpan('GET', { kind: SpanKind.SERVER });
    await context.with(trace.setSpan(context.active(), root), () => handler(request('/s'), ctx));
    await waited[0];
    expect(setup.exporter.getFinishedSpans().map((s) => s.name)).toEqual(['inner']);
    root.end();
  });
});

describe('withEdgeTracing', () => {
  it('flushes through event.waitUntil and returns the middleware response', async () => {
    setup = setupTracing();
    const waited: Promise<unknown>[] = [];
    const event = { waitUntil: vi.fn((p: Promise<unknown>) => void waited.push(p)) };
    const response = new Response(null, { status: 307, headers: { location: '/login' } });
    const middleware = withEdgeTracing(async () => response);
    expect(await middleware(request('/admin'), event)).toBe(response);
    expect(event.waitUntil).toHaveBeenCalledTimes(1);
    await Promise.all(waited);
    // a SERVER span of its own, named by the method (HTTP conventions: "{method}")
    expect(setup.exporter.getFinishedSpans().map((s) => [s.name, s.kind])).toEqual([
      ['GET', SpanKind.SERVER],
    ]);
    expect(response.headers.get('traceresponse')).toMatch(/^00-/);
  });

  it('adds no trace headers to a pass-through (NextResponse.next()) response', async () => {
    setup = setupTracing();
    const next = new Response(null, { headers: { 'x-middleware-next': '1' } });
    const middleware = withEdgeTracing(async () => next);
    const returned = await middleware(request('/'), { waitUntil() {} });
    expect(returned.headers.has('traceresponse')).toBe(false);
  });

  it('adds no trace headers to a rewrite to another origin, whose headers Next.js also puts on the request it forwards there', async () => {
    setup = setupTracing();
    const rewrite = (to: string) => new Response(null, { headers: { 'x-middleware-rewrite': to } });
    const middleware = withEdgeTracing(async (r: Request) =>
      rewrite(r.url.endsWith('/out') ? 'https://partner.example/x' : 'http://app.test:3000/in/x'),
    );
    const out = await middleware(request('/out'), { waitUntil() {} });
    expect(out.headers.has('traceresponse')).toBe(false);
    expect(out.headers.has('server-timing')).toBe(false);
    // a rewrite within the app keeps them: Next.js puts them on the response it sends too
    const within = await middleware(request('/in'), { waitUntil() {} });
    expect(within.headers.get('traceresponse')).toMatch(/^00-/);
    const spans = await setup.spans();
    expect(spans.map((span) => span.attributes['http.response.status_code'])).toEqual([200, 200]);
  });

  it('records a redirect() thrown in middleware as the error it is there (Next.js answers 500)', async () => {
    setup = setupTracing();
    const redirect = Object.assign(new Error('NEXT_REDIRECT'), {
      digest: 'NEXT_REDIRECT;replace;/login;307;',
    });
    const middleware = withEdgeTracing(async () => {
      throw redirect;
    });
    await expect(middleware(request('/account'), { waitUntil() {} })).rejects.toBe(redirect);
    const [span] = await setup.spans();
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.events.map((e) => e.name)).toEqual(['exception']);
    expect(span!.attributes['http.response.status_code']).toBeUndefined();
  });

  it('lets a middleware error reach the caller unchanged', async () => {
    setup = setupTracing();
    const error = new Error('denied');
    const middleware = withEdgeTracing(async () => {
      throw error;
    });
    await expect(middleware(request('/'), { waitUntil() {} })).rejects.toBe(error);
    const [span] = await setup.spans();
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
  });
});
