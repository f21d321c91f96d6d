import type { Context, Span } from '@opentelemetry/api';
import { isContext } from '../context/is-context';
import { SPAN_KEY } from '../context/linked-context';
import { RecordingSpan } from '../trace/recording-span';
import { ErrorSegment } from './error-segment';

/**
 * Keeps the local trace segment of a span (or of a context's active span) that error-always
 * sampling is holding back, as when a downstream service reports that it kept the trace.
 * Returns whether the span will be exported: true for a span sampled anyway, false for a span
 * that records nothing or whose segment was already discarded.
 */
export function keepTraceSegment(target: Span | Context): boolean {
  return segmentFate(target, true);
}

/**
 * Whether a span (or a context's active span) will be exported, as far as is known now: true for
 * a sampled span, and for one whose segment error-always sampling has kept (a span of it ended
 * with ERROR status or an exception, or it was kept from outside) while its root is still open,
 * though the root's `traceFlags` say not sampled until it ends. What a response's `traceresponse`
 * tells the caller.
 */
export function isTraceSegmentKept(target: Span | Context): boolean {
  return segmentFate(target, false);
}

function segmentFate(target: Span | Context, keep: boolean): boolean {
  const span = isContext(target) ? target.getValue(SPAN_KEY) : target;
  if (!(span instanceof RecordingSpan)) return false;
  const segment = span.segment;
  if (segment instanceof ErrorSegment) {
    if (keep) segment.keep();
    return segment.kept;
  }
  return (span.flags & 1) === 1;
}
