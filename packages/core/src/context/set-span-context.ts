import { type Context, type SpanContext, trace } from '@opentelemetry/api';
import { LinkedContext, SPAN_KEY } from './linked-context';

/**
 * `trace.setSpanContext` without the API context's copy of its whole Map: one link on top of
 * `context` (the same key, so `trace.getSpan` and every SDK read it). Extract calls it per request.
 */
export function setSpanContext(context: Context, spanContext: SpanContext): Context {
  return new LinkedContext(context, SPAN_KEY, trace.wrapSpanContext(spanContext), false);
}
