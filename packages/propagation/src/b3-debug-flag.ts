import { type Context, createContextKey, type Span, trace } from '@opentelemetry/api';
import { getSamplingHint, startedByDebugHint } from '@spanlite/core';

const B3_DEBUG_FLAG_KEY = createContextKey('spanlite B3 debug flag');

/**
 * Marks the trace `traceId` (by default the trace of the span context `context` holds) as carrying
 * B3's debug flag (`b3: …-d`, `X-B3-Flags: 1`), which the span context has no room for, so that the
 * B3 propagator sends it on again with that trace, and only with that trace: B3's debug is "an
 * emphasized accept decision" for one trace, not for every trace later started in the context.
 * Without a trace id to tie it to, `context` is returned unchanged.
 */
export function setB3Debug(
  context: Context,
  traceId = trace.getSpanContext(context)?.traceId,
): Context {
  return traceId ? context.setValue(B3_DEBUG_FLAG_KEY, traceId) : context;
}

/** The trace id the B3 debug flag of `context` belongs to, if any. */
export function getB3DebugTraceId(context: Context): string | undefined {
  return context.getValue(B3_DEBUG_FLAG_KEY) as string | undefined;
}

/**
 * Whether the debug flag goes with `span`'s trace `traceId` in `context`: the trace the flag came
 * with, or the trace a debug sampling hint (a sampling-only `b3: d` / `X-B3-Flags: 1`) started.
 */
export function isDebugTrace(context: Context, traceId: string, span: Span | undefined): boolean {
  return getB3DebugTraceId(context) === traceId || startedByDebugHint(span);
}

/**
 * Whether the B3 propagator injects the debug flag for `context`: its span context is of a debug
 * trace ({@link isDebugTrace}), sampled here or not; or, without a span context, its sampling hint
 * is a debug one.
 */
export function isB3Debug(context: Context): boolean {
  const span = trace.getSpan(context);
  const spanContext = span?.spanContext();
  if (spanContext === undefined) return getSamplingHint(context)?.debug === true;
  return isDebugTrace(context, spanContext.traceId, span);
}
