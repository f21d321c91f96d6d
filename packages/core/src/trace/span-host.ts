import type { InstrumentationScope, ResourceLike } from '../export/finished-span';
import type { RecordingSpan } from './recording-span';
import type { SpanLimits } from './span-limits';

/** What a span needs from the tracer that made it, resolved once when the tracer is created. */
export interface SpanHost {
  readonly limits: SpanLimits;
  readonly resource: ResourceLike;
  readonly instrumentationScope: InstrumentationScope;
  /** A span ended: route it to its error segment, or deliver it. */
  spanEnded(span: RecordingSpan): void;
  /** Hand an ended span to the span processors. */
  deliver(span: RecordingSpan): void;
}
