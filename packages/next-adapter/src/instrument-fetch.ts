import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { isTracingSuppressed, suppressTracing } from '@spanlite/core';
import { headersSetter } from '@spanlite/propagation';
import { clientRequestAttributes, methodForName } from './http-attributes';
import { isNextJsSpan, kindOf } from './instrumentation-scope';
import { getRequestScope } from './request-scope';
import {
  hasFetchAccessor,
  requestOriginsOf,
  setGlobalFetch,
  unsetGlobalFetch,
} from './runtime/edge';
import { recordThrown } from './thrown-error';
import { parseTraceResponse } from './trace-headers';
import { getTracingState, type TracingState } from './tracing-state';
import { isRequest } from './web-classes';

type Fetch = typeof fetch;
const ORIGINAL = Symbol.for('@spanlite/next.original-fetch');

/**
 * Replaces `globalThis.fetch` (once per global scope) with one that starts a client span per call
 * and sends trace headers to allowed destinations. Calls made with tracing suppressed (spanlite's
 * exporter) or marked `next: { internal: true }` go straight to the original. The original runs
 * with tracing suppressed, so the span and headers of a call are spanlite's alone.
 *
 * In Node, assigning the original to `globalThis.fetch` again (as Next.js's dev server does on
 * each hot reload) keeps the traced one: see fetch-property.ts.
 */
export function instrumentFetch(): void {
  const g = globalThis as { fetch?: Fetch & { [ORIGINAL]?: Fetch } };
  const original = g.fetch;
  // already traced in this global scope, perhaps under another library's wrapper (Next.js's)
  if (typeof original !== 'function' || original[ORIGINAL] !== undefined || hasFetchAccessor(g)) {
    return;
  }
  const traced = function fetch(input: RequestInfo | URL, init?: RequestInit) {
    return tracedFetch(original, input, init);
  } as Fetch & { [ORIGINAL]?: Fetch };
  // what the runtime hangs on its fetch stays reachable (Bun's fetch.preconnect), and its length
  for (const key of Reflect.ownKeys(original)) {
    if (key === 'length' || !Object.hasOwn(traced, key)) {
      Object.defineProperty(traced, key, Object.getOwnPropertyDescriptor(original, key)!);
    }
  }
  traced[ORIGINAL] = original;
  setGlobalFetch(g, original, traced);
}

/** The members of `RequestInit` (Fetch), read one by one from an init that is no plain object. */
const INIT_MEMBERS = [
  'method',
  'headers',
  'body',
  'referrer',
  'referrerPolicy',
  'mode',
  'credentials',
  'cache',
  'redirect',
  'integrity',
  'keepalive',
  'signal',
  'duplex',
  'priority',
] as const;

/**
 * A copy of `init` with other headers. A spread copies only own properties: an init that is a
 * `Request` (`fetch(url, request)`, to forward one) or another class keeps its method, body and
 * the rest in getters, which `fetch` reads and a spread would drop.
 */
function withHeaders(init: RequestInit | undefined | null, headers: Headers): RequestInit {
  const copy: Record<string, unknown> = { ...init };
  const proto = init == null ? null : Object.getPrototypeOf(init);
  if (proto !== null && proto !== Object.prototype) {
    const source = init as Record<string, unknown>;
    for (const member of INIT_MEMBERS) {
      if (!(member in copy) && source[member] !== undefined) copy[member] = source[member];
    }
  }
  copy.headers = headers;
  return copy as RequestInit;
}

/** Puts the original `fetch` back, where the traced one is not wrapped by another. */
export function uninstrumentFetch(): void {
  const g = globalThis as { fetch?: Fetch & { [ORIGINAL]?: Fetch } };
  unsetGlobalFetch(g, g.fetch?.[ORIGINAL] ?? g.fetch);
}

interface ClientCall {
  span: Span;
  /** Next.js's own fetch span, enriched rather than doubled; Next.js ends it. */
  borrowed: boolean;
  input: RequestInfo;
  init: RequestInit | undefined;
  ctx: Context;
  state: TracingState;
  /** Rewrites the URL as given into `url.full` in what a failure records; none when they agree. */
  scrub: ((text: string) => string) | undefined;
}

/**
 * Where `url.full` left out credentials or signed-URL secrets, the URL as given (and as `URL`
 * writes it), which a runtime's error message may quote (undici's "Request cannot be constructed
 * from a URL that includes credentials: …"), is replaced by it in the recorded exception: the
 * conventions' "Sensitive content provided in url.full SHOULD be scrubbed".
 */
function scrubberOf(
  input: RequestInfo | URL,
  url: URL,
  attributes: Attributes,
): ((text: string) => string) | undefined {
  const full = attributes['url.full'];
  if (typeof full !== 'string' || full === url.href) return undefined;
  const given = typeof input === 'string' ? input : url.href;
  return (text) => text.replaceAll(given, full).replaceAll(url.href, full);
}

function tracedFetch(
  original: Fetch,
  input: RequestInfo | URL,
  init: RequestInit | undefined,
): Promise<Response> {
  const state = getTracingState();
  const call = state === undefined ? undefined : startClientCall(state, input, init);
  if (call === undefined) return original(input, init);
  const { span, borrowed } = call;
  let pending: Promise<Response>;
  try {
    // The runtime's fetch runs with tracing suppressed: an instrumentation below it
    // (`@opentelemetry/instrumentation-undici`) would add a second client span and send a second
    // `traceparent`, also where `propagateTo` allows none.
    pending = context.with(suppressTracing(call.ctx), () => original(call.input, call.init));
  } catch (error) {
    settleError(call, error);
    throw error;
  }
  return pending.then(
    (response) => {
      settleResponse(call.state, span, response, borrowed);
      return response;
    },
    (error) => {
      settleError(call, error);
      throw error;
    },
  );
}

function startClientCall(
  state: TracingState,
  input: RequestInfo | URL,
  init: RequestInit | undefined,
): ClientCall | undefined {
  try {
    const active = context.active();
    if (isTracingSuppressed(active)) return undefined;
    if ((init as { next?: { internal?: boolean } } | undefined)?.next?.internal === true) {
      return undefined;
    }
    const request = isRequest(input) ? input : undefined;
    // read once: `fetch` is given this, so an object's `toString` is not called twice
    const given = request ?? (typeof input === 'string' ? input : String(input));
    const url = new URL(request?.url ?? (given as string));
    // data:, blob:, file: … are no HTTP calls
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    const method = fetchMethod(init?.method ?? request?.method ?? 'GET');
    const attributes = clientRequestAttributes(method, url, state.knownMethods);
    const activeSpan = trace.getSpan(active);
    // Next.js wraps fetch in its own client span (`AppRender.fetch`); enrich it, not double it.
    // Another client span (the user's, another library's) is a parent, not ours to rewrite.
    const borrowed = activeSpan?.isRecording() === true && isNextClientSpan(activeSpan);
    let span: Span;
    let ctx: Context;
    if (borrowed) {
      span = activeSpan!;
      span.setAttributes(attributes);
      // Next.js names its span by the URL (`fetch GET https://…`): the HTTP conventions name a
      // client span by its method ("Instrumentation MUST NOT default to using URI path as a
      // {target}"); Next.js's name stays in next.span_name.
      span.updateName(methodForName(attributes['http.request.method'] as string));
      // Next.js copies its name into next.span_name and sets http.url with the URL as given:
      // credentials and signed-URL secrets included. It takes the method from `init` alone, so
      // a `Request` given as input with its own method is named `GET`.
      const full = attributes['url.full'] as string;
      const sent = method.toUpperCase();
      if (full !== url.href || ((init?.method ?? '').toUpperCase() || 'GET') !== sent) {
        span.setAttributes({
          'next.span_name': `fetch ${sent} ${full}`,
          'http.url': full,
          'http.method': sent,
        });
      }
      ctx = active;
    } else {
      span = state.tracer.startSpan(
        methodForName(attributes['http.request.method'] as string),
        { kind: SpanKind.CLIENT, attributes },
        active,
      );
      ctx = trace.setSpan(active, span);
    }
    let callInit = init;
    // without a wrapper's scope (a page, a server action): the origins of Next.js's request
    const origins =
      getRequestScope(active) ?? requestOriginsOf(state.requestSpanOf(activeSpan), active);
    if (state.propagateTo(url, origins)) {
      const headers = headersOf(init, request);
      if (headers !== undefined) {
        state.propagator.inject(ctx, headers, headersSetter);
        callInit = withHeaders(init, headers);
      }
    }
    return {
      span,
      borrowed,
      input: given,
      init: callInit,
      ctx,
      state,
      scrub: scrubberOf(given, url, attributes),
    };
  } catch {
    return undefined;
  }
}

/**
 * The headers a call sends, to add trace headers to; undefined where `fetch` will reject the call
 * for them (an init that is no object, `headers: null`, headers `Headers` cannot take): left as
 * they are, the call fails as it would untraced.
 */
function headersOf(init: RequestInit | undefined | null, request: Request | undefined) {
  if (init != null && typeof init !== 'object' && typeof init !== 'function') return undefined;
  const given = init?.headers;
  if (given === null) return undefined;
  try {
    return new Headers(given ?? request?.headers);
  } catch {
    return undefined;
  }
}

/**
 * The method as `fetch` sends it: Fetch uppercases DELETE, GET, HEAD, OPTIONS, POST and PUT given
 * in any case ("normalize a method"), and sends any other as written; so `get` goes out as `GET`,
 * with no `http.request.method_original`, while `patch` goes out as `patch`.
 */
function fetchMethod(method: string): string {
  const upper = method.toUpperCase();
  return FETCH_NORMALIZED.has(upper) ? upper : method;
}

const FETCH_NORMALIZED: ReadonlySet<string> = new Set([
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'POST',
  'PUT',
]);

/** A client span of Next.js's tracer (`next.js`): its fetch span. */
function isNextClientSpan(span: Span): boolean {
  return kindOf(span) === SpanKind.CLIENT && isNextJsSpan(span);
}

function settleResponse(
  state: TracingState,
  span: Span,
  response: Response,
  borrowed: boolean,
): void {
  try {
    const status = response.status;
    span.setAttribute('http.response.status_code', status);
    if (status >= 400) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.setAttribute('error.type', String(status));
    }
    // The downstream service kept this trace (error-always there): keep our segment too, so the
    // trace is complete even where this service's sampler had dropped it.
    const kept = parseTraceResponse(response.headers.get('traceresponse'));
    if (kept?.sampled && kept.traceId === span.spanContext().traceId) {
      state.keepTraceSegment(span);
    }
    if (!borrowed) span.end();
  } catch {
    // never into user code
  }
}

function settleError({ span, borrowed, scrub }: ClientCall, error: unknown): void {
  try {
    recordThrown(span, error, scrub);
    if (!borrowed) span.end();
  } catch {
    // never into user code
  }
}
