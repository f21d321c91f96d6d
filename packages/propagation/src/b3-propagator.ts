import {
  type Context,
  diag,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import {
  getSamplingHint,
  hasValidIds,
  isTracingSuppressed,
  RemoteSpanContext,
  setSamplingHint,
  setSpanContext,
} from '@spanlite/core';
import { isB3Debug, setB3Debug } from './b3-debug-flag';
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
  injectEncoding?: B3InjectEncoding;
}

const SINGLE_FIELDS = [B3_SINGLE_HEADER];
const MULTI_FIELDS = [
  B3_TRACE_ID_HEADER,
  B3_SPAN_ID_HEADER,
  B3_PARENT_SPAN_ID_HEADER,
  B3_SAMPLED_HEADER,
  B3_FLAGS_HEADER,
];

/**
 * Zipkin's B3 (openzipkin/b3-propagation). Extract reads the single `b3` header and, when it is
 * absent or malformed, the `X-B3-*` headers. Ids become the remote span context; a sampling-only
 * header becomes a sampling hint for the next root span (`setSamplingHint` of @spanlite/core); the
 * debug flag is kept in the context so that inject sends it on. Inject sends 128-bit trace ids and
 * no parent span id (a span context does not know its parent), and nothing when tracing is
 * suppressed.
 */
export class B3Propagator implements TextMapPropagator {
  private readonly single: boolean;

  constructor(options: B3PropagatorOptions = {}) {
    this.single = options.injectEncoding !== 'multi';
  }

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    if (isTracingSuppressed(context)) return;
    const debug = isB3Debug(context);
    const span = trace.getSpan(context);
    const spanContext = span?.spanContext();
    if (spanContext !== undefined && hasValidIds(spanContext, span)) {
      const sampled = (spanContext.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
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
    const hintDebug = hint.debug === true || debug;
    if (this.single)
      setter.set(carrier, B3_SINGLE_HEADER, hintDebug ? 'd' : hint.sampled ? '1' : '0');
    else if (hintDebug) setter.set(carrier, B3_FLAGS_HEADER, '1');
    else setter.set(carrier, B3_SAMPLED_HEADER, hint.sampled ? '1' : '0');
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const singleHeader = getter.get(carrier, B3_SINGLE_HEADER);
    if (singleHeader !== undefined) {
      const kind = scanB3Single(singleHeader);
      if (kind === B3_IDS) {
        if (scanned.debug) context = setB3Debug(context);
        return setSpanContext(
          context,
          new RemoteSpanContext(
            scanned.traceId,
            scanned.spanId,
            scanned.sampled === true ? TraceFlags.SAMPLED : TraceFlags.NONE,
          ),
        );
      }
      if (kind === B3_SAMPLING_ONLY) {
        if (scanned.debug) context = setB3Debug(context);
        return setSamplingHint(context, { sampled: scanned.sampled!, debug: scanned.debug });
      }
      diag.debug('spanlite: ignored an invalid b3 header');
    }
    const parsed = parseB3Multi((name) => getter.get(carrier, name));
    if (parsed === undefined) return context;
    if (parsed.debug) context = setB3Debug(context);
    if (parsed.traceId === undefined || parsed.spanId === undefined) {
      return parsed.sampled === undefined
        ? context
        : setSamplingHint(context, { sampled: parsed.sampled, debug: parsed.debug });
    }
    return setSpanContext(
      context,
      new RemoteSpanContext(
        parsed.traceId,
        parsed.spanId,
        parsed.sampled === true ? TraceFlags.SAMPLED : TraceFlags.NONE,
      ),
    );
  }

  fields(): string[] {
    return (this.single ? SINGLE_FIELDS : MULTI_FIELDS).slice();
  }
}
