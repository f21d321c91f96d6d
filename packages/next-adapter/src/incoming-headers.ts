import {
  type Context,
  createContextKey,
  defaultTextMapSetter,
  type Span,
  SpanKind,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  trace,
} from '@opentelemetry/api';
import { type FinishedSpan, localRootOf } from '@spanlite/core';
import { isNextJsSpan, kindOf, NEXT_SCOPE } from './instrumentation-scope';
import type { RequestOrigins } from './request-scope';
import { originalScheme, originOf, serverHost, splitHost } from './server-host';

type HeaderRecord = Record<string, unknown>;

const INCOMING_HEADERS_KEY = createContextKey('@spanlite/next incoming request headers');

/** The incoming headers of Next.js's request spans, by span, for `requestOriginsOf`. */
const headersOfRequest = new WeakMap<object, HeaderRecord>();

/**
 * The propagator registered with `@opentelemetry/api`: the configured one, which also notes in the
 * extracted context the headers object it extracted from, when that is a plain object (Node's
 * `IncomingMessage.headers`, which Next.js's node server extracts each request's context from).
 * The tracker then writes the context of Next.js's request span into those headers (see
 * {@link writeIncomingHeaders}), as Next.js does itself before running middleware: its edge
 * sandbox continues the trace of the headers it is handed. Web `Headers` are left alone.
 */
export class IncomingHeadersPropagator implements TextMapPropagator {
  constructor(readonly inner: TextMapPropagator) {}

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    this.inner.inject(context, carrier, setter);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const extracted = this.inner.extract(context, carrier, getter);
    return isHeaderRecord(carrier) ? extracted.setValue(INCOMING_HEADERS_KEY, carrier) : extracted;
  }

  fields(): string[] {
    return this.inner.fields();
  }
}

/** The incoming headers the context was extracted from, when they were a plain object. */
export function incomingHeadersOf(context: Context): HeaderRecord | undefined {
  return context.getValue(INCOMING_HEADERS_KEY) as HeaderRecord | undefined;
}

function isHeaderRecord(carrier: unknown): carrier is HeaderRecord {
  return (
    typeof carrier === 'object' &&
    carrier !== null &&
    typeof (carrier as { get?: unknown }).get !== 'function' &&
    !Array.isArray(carrier)
  );
}

/** What the tracker keeps of Next.js's request spans (see LocalRootTracker). */
export interface RequestSpans {
  readonly propagator: TextMapPropagator | undefined;
  /** Request headers recorded as `http.request.header.<name>` (lowercase), `x-request-id` first. */
  readonly requestHeaders: readonly string[];
  requestSpanOf(root: Span | undefined): Span | undefined;
  nestRequestSpan(root: Span, span: Span): void;
}

/**
 * A span starting. Next.js's request span (SERVER, Next.js's) is its first SERVER span of the
 * request: a local root, or, with `NEXT_OTEL_VERBOSE=1`, the first below INTERNAL spans Next.js
 * starts above it (`NextServer.getRequestHandler` > `getServerRequestHandler`), which the tracker
 * then notes. It records the configured request headers (`x-request-id` and `requestHeaders`)
 * of every request, a page's or an unwrapped route's too, as a wrapper does; then its context
 * goes into the incoming headers (see writeIncomingHeaders).
 */
export function requestSpanStarting(
  tracker: RequestSpans,
  span: Span & FinishedSpan,
  parentContext: Context,
): void {
  if (span.kind !== SpanKind.SERVER || span.instrumentationScope.name !== NEXT_SCOPE) return;
  const root = localRootOf(span);
  if (root !== span) {
    if (root === undefined || kindOf(root) === SpanKind.SERVER || !isNextJsSpan(root)) return;
    if (tracker.requestSpanOf(root) !== root) return;
    tracker.nestRequestSpan(root, span);
  }
  const headers = incomingHeadersOf(parentContext);
  if (headers === undefined) return;
  headersOfRequest.set(span, headers);
  for (const name of tracker.requestHeaders) {
    const value = headerText(headers[name]);
    if (value !== null) span.setAttribute(`http.request.header.${name}`, [value]);
  }
  if (tracker.propagator !== undefined)
    writeIncomingHeaders(span, parentContext, headers, tracker.propagator);
}

/**
 * Next.js's node server runs an edge route in its sandbox with the request's headers, and the
 * sandbox continues the trace they carry; Next.js writes its request span's context into them
 * only when middleware runs. Without middleware an edge route began a trace of its own (or a
 * sibling of the server's span, under an incoming traceparent). So the context of Next.js's
 * request span (its first SERVER span of the request, as the tracker finds it, started in a
 * context extracted from plain incoming headers) is written into those headers: the edge route's
 * spans join the request's trace under that span, and a node handler reading `traceparent` sees
 * it as it would with middleware.
 */
function writeIncomingHeaders(
  span: Span & FinishedSpan,
  parentContext: Context,
  headers: HeaderRecord,
  propagator: TextMapPropagator,
): void {
  try {
    propagator.inject(trace.setSpan(parentContext, span), headers, defaultTextMapSetter);
  } catch {
    // headers that cannot be written: the edge route starts its own trace, as before
  }
}

/**
 * Where outbound `fetch` sends trace headers by default from code no wrapper handles (a page, a
 * server action, a Pages API route), which has no request scope: the origins of the request whose
 * Next.js span is `root`, from its incoming headers, read when a call asks (Next.js fills in
 * `x-forwarded-*` after starting the span). The origin the client named (`Forwarded`,
 * `X-Forwarded-Host`, `Host`; with `Forwarded`'s proto or `X-Forwarded-Proto`, else `http`), and
 * that of the `Host` header Next.js received, over `http`, where it differs (behind a proxy). The
 * URL Next.js builds for a wrapped handler (`http://localhost:3000`) is not known here. Where the
 * root is no recording span (an unsampled request), the headers `context` was extracted from.
 */
export function requestOriginsOf(
  root: object | undefined,
  context: Context,
): RequestOrigins | undefined {
  // An unsampled request span records nothing and reaches no processor: the headers its context
  // was extracted from, then (a page's call must send the caller's unsampled trace on, or the
  // route it calls starts a sampled trace of its own)
  const record =
    (root === undefined ? undefined : headersOfRequest.get(root)) ?? incomingHeadersOf(context);
  if (record === undefined) return undefined;
  try {
    const headers = { get: (name: string) => headerText(record[name]) } as Headers;
    const forwarded = headers.get('forwarded');
    const scheme = originalScheme(headers, forwarded) ?? 'http';
    const named = serverHost(headers, forwarded);
    const hostHeader = headers.get('host');
    const received = hostHeader === null ? undefined : splitHost(hostHeader.trim());
    const host = named ?? received;
    if (host === undefined) return undefined;
    const origin = originOf(scheme, host);
    // the connection from the proxy: plain HTTP, as a proxy in front of Next.js speaks it
    const hostOrigin = received === undefined ? undefined : originOf('http', received);
    return { origin, hostOrigin: hostOrigin === origin ? undefined : hostOrigin };
  } catch {
    return undefined;
  }
}

function headerText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  return Array.isArray(value) ? value.join(', ') : null;
}
