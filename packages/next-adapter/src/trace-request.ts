import { type Context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { headersGetter } from '@spanlite/propagation';
import { underBasePath } from './base-path';
import { methodForName, serverRequestAttributes } from './http-attributes';
import { attributeOf, isNextJsSpan, kindOf, nextRecordsThrow } from './instrumentation-scope';
import { controlFlowStatus } from './next-control-flow';
import { nextEdgeRoute, withoutRouteParams } from './next-edge-route';
import { parseRequestUrl } from './parse-request-url';
import { getRequestScope, type RequestScope, setRequestScope } from './request-scope';
import { scheduleFlush } from './schedule-flush';
import { clientAddress, originalScheme, originOf, serverHost } from './server-host';
import { recordThrown } from './thrown-error';
import { addTraceHeaders } from './trace-headers';
import type { TracingState } from './tracing-state';
import type { WaitUntilHolder } from './wait-until';
import { isResponse } from './web-classes';

type Handler<Q, A extends unknown[], R, T> = (this: T, request: Q, ...rest: A) => R;

interface RequestSpan {
  span: Span;
  /** The origin of `request.url`. */
  origin: string;
  /** Started here (no Next.js span was active), so ended here. */
  own: boolean;
  ctx: Context;
}

/** Calls a handler without going through its `call`, which it may have of its own. */
const apply = Reflect.apply;

/**
 * Runs `handler(request, ...rest)`, with `thisArg` as its `this`, as the handling of `request`. When Next.js's own request span
 * is active (its spans reach spanlite through the registered provider), that span's local root is
 * enriched: one server span per request, named and attributed by the semantic conventions.
 * Otherwise a server span is started here, continuing the trace the request's headers carry. A
 * wrapped handler called by another one, whose span is already the request's, gets an internal
 * span of its own.
 * `route`: the route template, for `http.route` and the span name; `middleware`: trace headers
 * go only on responses that end the request; `holder`: whose `waitUntil` gets the flush.
 *
 * The handler is called through the context manager's `with` with its arguments, not through a closure; the
 * wrappers call this directly (one async function, so one promise, per request).
 */
export async function traceRequest<Q extends Request, A extends unknown[], R, T>(
  state: TracingState,
  handler: Handler<Q, A, R, T>,
  thisArg: T,
  request: Q,
  rest: A,
  route: string | undefined,
  middleware: boolean,
  holder: WaitUntilHolder | undefined,
): Promise<Awaited<R>> {
  const started = startRequestSpan(state, request, route, middleware, holder);
  if (started === undefined) return await apply(handler, thisArg, [request, ...rest]);
  const span = started.span;
  let result: Awaited<R>;
  try {
    result = await state.context.with(started.ctx, handler, thisArg, request, ...rest);
  } catch (error) {
    settleThrow(span, error, middleware ? undefined : request, !started.own);
    if (started.own) span.end();
    scheduleFlush(state, span, holder, request);
    throw error;
  }
  settleResponse(state, span, result, middleware ? started.origin : undefined, !started.own);
  if (started.own) span.end();
  scheduleFlush(state, span, holder, request);
  return result;
}

/** The handler called as it is, its result (or throw) as a promise. */
export async function callAsIs<Q, A extends unknown[], R, T>(
  handler: Handler<Q, A, R, T>,
  thisArg: T,
  request: Q,
  rest: A,
): Promise<Awaited<R>> {
  return await apply(handler, thisArg, [request, ...rest]);
}

function startRequestSpan(
  state: TracingState,
  request: Request,
  template: string | undefined,
  middleware: boolean,
  holder: WaitUntilHolder | undefined,
): RequestSpan | undefined {
  try {
    const active = state.context.active();
    const activeSpan = trace.getSpan(active);
    const root = state.requestSpanOf(activeSpan);
    // a wrapped handler called by another: the request's span is its caller's
    const nested = !middleware && getRequestScope(active)?.routed === true;
    // an edge route under Next.js: Next.js's span names its route, and its URL's query has the
    // route's parameters in it (not the URL of a handler it calls)
    const edgeRoute = middleware || nested ? undefined : nextEdgeRoute(root);
    const given = template ?? edgeRoute;
    const route = given === undefined ? undefined : underBasePath(state.tracker.basePath, given);
    const read = state.readRequest(request);
    let url = parseRequestUrl(read.url);
    if (url === undefined) return undefined;
    if (edgeRoute !== undefined) url = withoutRouteParams(url, edgeRoute);
    const headers = read.headers;
    const forwarded = headers.get('forwarded');
    const host = serverHost(headers, forwarded) ?? url;
    const scheme = originalScheme(headers, forwarded) ?? url.scheme;
    const attributes = serverRequestAttributes(
      request,
      headers,
      url,
      scheme,
      host,
      route,
      state.requestHeaders,
      state.knownMethods,
      clientAddress(headers, forwarded),
    );
    const hostOrigin = scheme === url.scheme && host === url ? url.origin : originOf(scheme, host);
    // the holder goes along for spans that end after the response (see flush-late-span.ts)
    const scope: RequestScope = {
      origin: url.origin,
      hostOrigin: hostOrigin === url.origin ? undefined : hostOrigin,
      holder,
      routed: !middleware,
    };
    const method = methodForName(attributes['http.request.method'] as string);
    // A server span's name (HTTP conventions): `{method} {http.route}`, else `{method}`; the
    // middleware's own span too (Next.js's, when enriched, keeps its `middleware GET`).
    const name = route !== undefined && !middleware ? `${method} ${route}` : method;
    if (root?.isRecording() && !nested && isRequestSpan(root)) {
      root.setAttributes(attributes);
      if (!middleware) {
        if (route !== undefined) root.updateName(name);
        state.tracker.pinRoute(root, method, route);
      }
      return { span: root, own: false, ctx: setRequestScope(active, scope), origin: url.origin };
    }
    // No span of ours is active: continue the caller's trace from the request's headers, unless
    // some other instrumentation made a span current.
    const parent =
      activeSpan !== undefined ? active : state.propagator.extract(active, headers, headersGetter);
    const kind = nested ? SpanKind.INTERNAL : SpanKind.SERVER;
    const span = state.tracer.startSpan(name, { kind, attributes }, parent);
    const ctx = setRequestScope(trace.setSpan(parent, span), scope);
    return { span, own: true, ctx, origin: url.origin };
  } catch {
    return undefined;
  }
}

/**
 * `routeRequest`: the request of a route handler (Next.js turns no `redirect()`-style throw from
 * middleware into a response). `inNext`: the span is Next.js's, which answers any other throw
 * with a 500 (outside Next.js, what a throw becomes is the framework's: Hono's `onError`, a
 * Worker's exception page, …).
 */
function settleThrow(
  span: Span,
  error: unknown,
  routeRequest: Request | undefined,
  inNext: boolean,
): void {
  try {
    // redirect(), notFound() and the like: Next.js answers with their status; no error
    const status = routeRequest === undefined ? undefined : controlFlowStatus(error, routeRequest);
    if (status !== undefined) {
      if (status !== 0) span.setAttribute('http.response.status_code', status);
      return;
    }
    // in the edge sandbox the span is Next.js's own, which records the throw as it leaves it
    if (!(inNext && nextRecordsThrow(span))) recordThrown(span, error);
    if (inNext) span.setAttribute('http.response.status_code', 500);
  } catch {
    // never into user code
  }
}

/**
 * `middlewareOrigin`: the origin of the request a proxy or middleware handles; `inNext`: the span
 * is Next.js's.
 */
function settleResponse(
  state: TracingState,
  span: Span,
  result: unknown,
  middlewareOrigin: string | undefined,
  inNext: boolean,
) {
  try {
    if (!isResponse(result)) return;
    const headers = result.headers;
    // NextResponse.next(): the route answers; its headers are its own.
    if (middlewareOrigin !== undefined && headers.has('x-middleware-next')) return;
    const status = result.status;
    // `Response.error()` (status 0) is a network error: no status is sent ("If and only if one
    // was received/sent"), and the request failed
    if (status !== 0) span.setAttribute('http.response.status_code', status);
    // sampled, or kept by error-always already (a failed downstream call, a segment kept from
    // outside) though the root's flags say so only once it ends
    let sampled = (span.spanContext().traceFlags & 1) === 1 || state.isTraceSegmentKept(span);
    if (status >= 500 || status === 0) {
      markServerError(span, status === 0 ? '_OTHER' : String(status));
      // The segment is kept once its root ends with ERROR; decide now, for the traceresponse.
      sampled = state.keepTraceSegment(span);
    }
    // A response Next.js caches goes to every client: no trace of one request on it. A rewrite's
    // headers Next.js also puts on the request it forwards: none on a rewrite to another origin,
    // which is no propagation target of this request's.
    const rewrite = middlewareOrigin === undefined ? null : headers.get('x-middleware-rewrite');
    const elsewhere = rewrite !== null && !rewrite.startsWith(`${middlewareOrigin}/`);
    if (
      (state.traceResponse || state.serverTiming) &&
      !elsewhere &&
      !(inNext && state.prerendering())
    ) {
      addTraceHeaders(headers, span, sampled, state.traceResponse, state.serverTiming);
    }
  } catch {
    // never into user code
  }
}

/**
 * ERROR status and `error.type` for a response that failed, where the app has not set them: an
 * app that recorded the error itself (a framework's error handler that answers the 500) keeps its
 * status description and its `error.type` (HTTP conventions: the status code, "an exception type
 * … or a component-specific error identifier"). Read where the span tells (core's spans).
 */
function markServerError(span: Span, type: string): void {
  const own = span as Partial<{ statusCode: SpanStatusCode }>;
  if (own.statusCode !== SpanStatusCode.ERROR) span.setStatus({ code: SpanStatusCode.ERROR });
  if (attributeOf(span, 'error.type') === undefined) span.setAttribute('error.type', type);
}

/**
 * Whether a local root is a request's span to enrich: a SERVER span, or one of Next.js's (in the
 * edge sandbox its outermost span, `executing api route (app) …` or `Middleware.execute`, is
 * INTERNAL and stands for the request). A span of the application's own (a job, a test) is not:
 * the handler it calls gets a SERVER span of its own below it (HTTP conventions: a server span's
 * "Span kind MUST be SERVER").
 */
function isRequestSpan(span: Span): boolean {
  return kindOf(span) === SpanKind.SERVER || isNextJsSpan(span);
}
