import type { Context, Span } from '@opentelemetry/api';
import type { FinishedSpan } from '../export/finished-span';
import type { FlushResult } from './flush-result';

/** The OpenTelemetry SpanProcessor interface: sees every recording span start and end. */
export interface SpanProcessor {
  /** Called synchronously when a recording span starts; the span may still be changed. */
  onStart(span: Span & FinishedSpan, parentContext: Context): void;
  /**
   * Optional (trace/sdk.md, "OnEnding", Development; the 3.x reference SDK calls it too): called
   * synchronously inside `end()`, once the end time is set and before any processor's `onEnd`,
   * while the span can still be changed (attributes, events, links, status).
   */
  onEnding?(span: Span & FinishedSpan): void;
  /** Called synchronously when a recording span ends (sampled or not). */
  onEnd(span: FinishedSpan): void;
  /**
   * Exports what the processor holds. spanlite's processors resolve with how it went
   * ({@link FlushResult}); others may resolve with nothing, which the provider takes as success.
   */
  forceFlush(): Promise<unknown>;
  shutdown(): Promise<unknown>;
}

/** Whether a finished span was sampled, without building its SpanContext when it is ours. */
export function isSampled(span: FinishedSpan): boolean {
  const flags = (span as { flags?: number }).flags;
  return ((flags ?? span.spanContext().traceFlags) & 1) === 1;
}
