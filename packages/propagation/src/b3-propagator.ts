import {
  type Context,
  diag,
  ROOT_CONTEXT,
  type TextMapGetter,
  type TextMapSetter,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import {
  getSamplingHint,
  hasValidIds,
  isTracingSuppressed,
  RemoteSpanContext,
  SafePropagator,
  setSamplingHint,
  setSpanContext,
  W3C_RANDOM_FLAG,
} from '@spanlite/core';
import { isDebugTrace, setB3Debug } from './b3-debug-flag';
import { B3_IDS, B3_SAMPLING_ONLY, parseB3Multi, scanB3Single, scanned } from './parse-b3';

export const B3_SINGLE_HEADER = 'b3';
export const B3_TRACE_ID_HEADER = 'x-b3-traceid';
export const B3_SPAN_ID_HEADER = 'x-b3-spanid';
export const B3_PARENT_SPAN_ID_HEADER = 'x-b3-parentspanid';
export const B3_SAMPLED_HEADER = 'x-b3-sampled';
export const B3_FLAGS_HEADER = 'x-b3-flags';

/** How the B3 propagator writes: the single `b3` header, or the `X-B3-*` headers. */
export type B3InjectEncoding = 'single' | 'multi';

export interface B3PropagatorOptions {
  /** Default `'single'`. Extract always reads both encodings, the single header first. */
  injectEncoding?: B3InjectEncoding | undefined;
}

// The headers inject writes (OTel B3 "Fields"): never X-B3-ParentSpanId, which extract reads only.
const SINGLE_FIELDS = [B3_SINGLE_HEADER];
const MULTI_FIELDS = [B3_TRACE_ID_HEADER, B3_SPAN_ID_HEADER, B3_SAMPLED_HEADER, B3_FLAGS_HEADER];

/**
 * The span context for ids B3 extract found. When the context already holds a remote span context
 * of the same trace (a `traceparent` extracted before B3 in a composite), its `tracestate` and W3C
 * random flag are kept, as B3 cannot carry them and W3C Trace Context says a received `tracestate`
 * MUST be sent on; the span id and the sampled flag are B3's, which extracts last.
 */
function remoteSpanContext(
  context: Context,
  traceId: string,
  spanId: string,
  sampled: boolean | undefined,
): RemoteSpanContext {
  // ROOT_CONTEXT, what extract mostly receives at a request's start, holds no span context.
  let earlier = context === ROOT_CONTEXT ? undefined : trace.getSpanContext(context);
  if (earlier?.traceId !== traceId || earlier.isRemote !== true) earlier = undefined;
  return new RemoteSpanContext(
    traceId,
    spanId,
    (sampled === true ? TraceFlags.SAMPLED : TraceFlags.NONE) |
      (earlier === undefined ? 0 : earlier.traceFlags & W3C_RANDOM_FLAG),
    earlier?.traceState,
  );
}

/**
 * Zipkin's B3 (openzipkin/b3-propagation). Extract reads the single `b3` header and, when it is
 * absent or malformed, the `X-B3-*` headers. Ids become the remote span context; a sampling-only
 * header becomes a sampling hint for the next root span (`setSamplingHint` of @spanlite/core). The
 * debug flag is kept in the context tied to its trace id (`setB3Debug`), and inject sends it on
 * with every span context of that trace, sampled here or not; a sampling-only debug header is a debug hint, which
 * forces sampling of a span started without a parent, and is sent on while no span exists and
 * then with the trace that span starts. Ids for the trace of a
 * remote span context already in the context keep its `tracestate` and random flag. Inject sends
 * 128-bit trace ids and no parent span id (a span context does not know its parent), and nothing
 * when tracing is suppressed.
 */
export class B3Propagator extends SafePropagator {
  private readonly single: boolean;

  constructor(options: B3PropagatorOptions = {}) {
    super();
    this.single = options.injectEncoding !== 'multi';
  }

  protected injectInto(context: Context, carrier: unknown, setter: TextMapSetter): void {
    if (isTracingSuppressed(context)) return;
    const span = trace.getSpan(context);
    const spanContext = span?.spanContext();
    if (spanContext !== undefined && hasValidIds(spanContext, span)) {
      const sampled = (spanContext.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
      // Debug is an accept decision for the trace it came with (or, for a sampling-only `b3: d`,
      // the trace it started), not for another trace started or extracted later in this context.
      // It is sent on even from a span this process's sampler dropped (OTel B3 Extract: "MUST
      // preserve a debug trace flag, if received, and propagate it with subsequent requests").
      const debug = isDebugTrace(context, spanContext.traceId, span);
      if (this.single) {
        const state = debug ? '-d' : sampled ? '-1' : '-0';
        setter.set(
          carrier,
          B3_SINGLE_HEADER,
          `${spanContext.traceId}-${spanContext.spanId}${state}`,
        );
        return;
      }
      setter.set(carrier, B3_TRACE_ID_HEADER, spanContext.traceId);
      setter.set(carrier, B3_SPAN_ID_HEADER, spanContext.spanId);
      // "Debug implies an accept decision, so don't also send the X-B3-Sampled header."
      if (debug) setter.set(carrier, B3_FLAGS_HEADER, '1');
      else setter.set(carrier, B3_SAMPLED_HEADER, sampled ? '1' : '0');
      return;
    }
    // No span yet: pass on a sampling-only decision that arrived without ids.
    const hint = getSamplingHint(context);
    if (hint === undefined) return;
    const hintDebug = hint.debug === true;
    if (this.single)
      setter.set(carrier, B3_SINGLE_HEADER, hintDebug ? 'd' : hint.sampled ? '1' : '0');
    else if (hintDebug) setter.set(carrier, B3_FLAGS_HEADER, '1');
    else setter.set(carrier, B3_SAMPLED_HEADER, hint.sampled ? '1' : '0');
  }

  protected extractFrom(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const singleHeader = getter.get(carrier, B3_SINGLE_HEADER);
    // A getter may report a missing header as null or "" (Fetch's `Headers.get`, some map carriers).
    if (singleHeader !== undefined && singleHeader !== null && singleHeader !== '') {
      const kind = scanB3Single(singleHeader);
      if (kind === B3_IDS) {
        const spanContext = remoteSpanContext(
          context,
          scanned.traceId,
          scanned.spanId,
          scanned.sampled,
        );
        if (scanned.debug) context = setB3Debug(context, scanned.traceId);
        return setSpanContext(context, spanContext);
      }
      if (kind === B3_SAMPLING_ONLY) {
        // The debug hint forces sampling of a span started without a parent (core's tracer), and
        // inject sends it on while no span exists and then with that span's trace (OpenTelemetry
        // B3 Extract: "MUST preserve a debug trace flag, if received, and propagate it with
        // subsequent requests").
        return setSamplingHint(context, { sampled: scanned.sampled!, debug: scanned.debug });
      }
      diag.debug('spanlite: ignored an invalid b3 header');
    }
    const parsed = parseB3Multi((name) => getter.get(carrier, name));
    if (parsed === undefined) return context;
    if (parsed.traceId === undefined || parsed.spanId === undefined) {
      return parsed.sampled === undefined
        ? context
        : setSamplingHint(context, { sampled: parsed.sampled, debug: parsed.debug });
    }
    const spanContext = remoteSpanContext(context, parsed.traceId, parsed.spanId, parsed.sampled);
    if (parsed.debug) context = setB3Debug(context, parsed.traceId);
    return setSpanContext(context, spanContext);
  }

  fields(): string[] {
    return (this.single ? SINGLE_FIELDS : MULTI_FIELDS).slice();
  }
}
