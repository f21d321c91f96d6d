import {
  type Context,
  context,
  type Exception,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { headersGetter } from '@spanlite/propagation';
import { requestUrl, serverRequestAttributes } from './http-attributes';
import { localRootOf } from './local-root-tracker';
import { setRequestOrigin } from './request-origin';
import { scheduleFlush, type WaitUntil } from './schedule-flush';
import { addTraceHeaders } from './trace-headers';
import type { TracingState } from './tracing-state';

export interface TraceRequestOptions {
  /** The route template (`/api/items/[id]`): `http.route`, and the span name with the method. */
  route?: string;
  /** Middleware: trace headers go only on responses that end the request. */
  middleware?: boolean;
  waitUntil?: WaitUntil;
}

interface RequestSpan {
  span: Span;
  /** Started here (no Next.js span was active), so ended here. */
  own: boolean;
  ctx: Context;
}

/**
 * Runs `call` as the handling of `request`. When Next.js's own request span is active (its spans
 * reach spanlite through the registered provider), that span's local root is enriched: one server
 * span per request, named and attributed by the semantic conventions. Otherwise a server span is
 * started here, continuing the trace the request's headers carry.
 */
export async function traceRequest<R>(
  state: TracingState,
  request: Request,
  call: () => R | Promise<R>,
  options: TraceRequestOptions,
): Promise<Awaited<R>> {
  const started = startRequestSpan(state, request, options);
  if (started === undefined) return await call();
  const { span, own } = started;
  let result: Awaited<R>;
  try {
    result = await context.with(started.ctx, call);
  } catch (error) {
    settleThrow(span, error);
    if (own) span.end();
    scheduleFlush(state, span, options.waitUntil);
    throw error;
  }
  settleResponse(state, span, result, options.middleware === true);
  if (own) span.end();
  scheduleFlush(state, span, options.waitUntil);
  return result;
}

function startRequestSpan(
  state: TracingState,
  request: Request,
  options: TraceRequestOptions,
): RequestSpan | undefined {
  try {
    const url = requestUrl(request);
    if (url === undefined) return undefined;
    const active = context.active();
    const activeSpan = trace.getSpan(active);
    const root = localRootOf(activeSpan);
    const attributes = serverRequestAttributes(request, url, options.route, state.requestHeaders);
    const method = attributes['http.request.method'] as string;
    const name =
      options.middleware === true
        ? `middleware ${method}`
        : options.route !== undefined
          ? `${method} ${options.route}`
          : method;
    if (root?.isRecording()) {
      root.setAttributes(attributes);
      if (options.route !== undefined && options.middleware !== true) root.updateName(name);
      return { span: root, own: false, ctx: setRequestOrigin(active, url.origin) };
    }
    // No span of ours is active: continue the caller's trace from the request's headers, unless
    // some other instrumentation made a span current.
    const parent =
      activeSpan !== undefined
        ? active
        : state.propagator.extract(active, request.headers, headersGetter);
    const span = state.tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
    return { span, own: true, ctx: setRequestOrigin(trace.setSpan(parent, span), url.origin) };
  } catch {
    return undefined;
  }
}

function settleThrow(span: Span, error: unknown): void {
  try {
    span.recordException(error as Exception);
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
    span.setAttribute('error.type', error instanceof Error ? error.name : typeof error);
  } catch {
    // never into user code
  }
}

function settleResponse(state: TracingState, span: Span, result: unknown, middleware: boolean) {
  try {
    if (!(result instanceof Response)) return;
    const status = result.status;
    let sampled = (span.spanContext().traceFlags & 1) === 1 || state.tracker.wasKept(span);
    if (middleware && result.headers.has('x-middleware-next')) {
      // NextResponse.next(): the route answers; its headers are its own.
      return;
    }
    span.setAttribute('http.response.status_code', status);
    if (status >= 500) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.setAttribute('error.type', String(status));
      // The segment is kept once its root ends with ERROR; decide now, for the traceresponse.
      sampled = state.keepTraceSegment(span);
    }
    if (state.traceResponse || state.serverTiming) {
      addTraceHeaders(result, span, sampled, state.traceResponse, state.serverTiming);
    }
  } catch {
    // never into user code
  }
}
