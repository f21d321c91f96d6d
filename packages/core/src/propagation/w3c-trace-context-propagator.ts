import {
  type Context,
  diag,
  type TextMapGetter,
  type TextMapSetter,
  trace,
} from '@opentelemetry/api';
import { setSpanContext } from '../context/set-span-context';
import { isTracingSuppressed } from '../context/suppress-tracing';
import { readHeaderLines, readSingleHeader } from './header-value';
import { SafePropagator } from './safe-propagator';
import { formatTraceParent, hasValidIds, readTraceParent } from './trace-parent';
import { parseTraceState, serializeTraceState, truncateTraceState } from './trace-state';

export const TRACE_PARENT_HEADER = 'traceparent';
export const TRACE_STATE_HEADER = 'tracestate';

export interface W3CTraceContextPropagatorOptions {
  /**
   * Longest `tracestate` sent; longer ones are truncated by whole entries as W3C Trace Context
   * ("tracestate Limits") prescribes. Default 512, the length the specification says every vendor
   * SHOULD propagate at least.
   */
  maxTraceStateLength?: number | undefined;
}

/**
 * W3C Trace Context (Level 2) `traceparent` and `tracestate`. Extract ignores a `traceparent`
 * received as several header lines (there is one trace parent), combines several `tracestate` lines,
 * and drops an invalid `tracestate` whole while keeping the `traceparent`. Inject writes nothing
 * when tracing is suppressed or the span context has invalid ids, and no `tracestate` when the
 * span context's trace state cannot serialize itself to a string.
 */
export class W3CTraceContextPropagator extends SafePropagator {
  private readonly maxTraceStateLength: number;

  constructor(options: W3CTraceContextPropagatorOptions = {}) {
    super();
    const max = options.maxTraceStateLength;
    this.maxTraceStateLength = typeof max === 'number' && max >= 0 ? max : 512;
  }

  protected injectInto(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const span = trace.getSpan(context);
    if (span === undefined || isTracingSuppressed(context)) return;
    const spanContext = span.spanContext();
    if (!hasValidIds(spanContext, span)) return;
    setter.set(carrier, TRACE_PARENT_HEADER, formatTraceParent(spanContext));
    // none for a trace state that cannot serialize itself, rather than a throw
    const text = serializeTraceState(spanContext.traceState);
    if (text === undefined) return;
    const serialized = truncateTraceState(text, this.maxTraceStateLength);
    if (serialized !== '') setter.set(carrier, TRACE_STATE_HEADER, serialized);
  }

  protected extractFrom(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const header = readSingleHeader(getter.get(carrier, TRACE_PARENT_HEADER));
    if (header === undefined) return context;
    const spanContext = readTraceParent(header, undefined);
    if (spanContext === undefined) {
      diag.debug('spanlite: ignored an invalid traceparent header');
      return context;
    }
    const stateHeader = readHeaderLines(getter.get(carrier, TRACE_STATE_HEADER));
    if (stateHeader !== undefined) {
      spanContext.traceState = parseTraceState(stateHeader);
      if (spanContext.traceState === undefined)
        diag.debug('spanlite: discarded an invalid tracestate header');
    }
    return setSpanContext(context, spanContext);
  }

  fields(): string[] {
    return [TRACE_PARENT_HEADER, TRACE_STATE_HEADER];
  }
}
