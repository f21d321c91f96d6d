import { INVALID_SPAN_CONTEXT, type Span, trace } from '@opentelemetry/api';

let invalidSpan: Span | undefined;

/** The span handed out when tracing is suppressed, disabled or shut down: records nothing. */
export function getInvalidSpan(): Span {
  return (invalidSpan ??= trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
}
