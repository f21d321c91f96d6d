import type { SpanContext } from '@opentelemetry/api';

/**
 * A span context of the caller's (a link's, a parent made with `trace.wrapSpanContext`) as a plain
 * object of its own, read once: the caller may change or reuse theirs after the span has ended.
 */
export function copySpanContext(sc: SpanContext): SpanContext {
  return {
    traceId: sc.traceId,
    spanId: sc.spanId,
    traceFlags: sc.traceFlags,
    isRemote: sc.isRemote,
    traceState: sc.traceState,
  };
}
