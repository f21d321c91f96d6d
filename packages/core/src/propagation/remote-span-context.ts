import type { SpanContext, TraceState } from '@opentelemetry/api';

/**
 * The span context extract produces (W3C and B3 alike): ids validated by the parser. It keeps its
 * own copy of them,
 * so that inject can tell they are still the ones validated (a caller may reassign the public
 * fields: then they are validated again) and skip re-checking 48 hex digits, which was a third of
 * W3C inject's time in a CPU profile (bench/RESULTS.md). Private fields are invisible to
 * `Object.keys`, `JSON.stringify` and deep equality, so it reads as a plain span context.
 */
export class RemoteSpanContext implements SpanContext {
  traceId: string;
  spanId: string;
  traceFlags: number;
  isRemote: boolean;
  traceState?: TraceState;
  readonly #traceId: string;
  readonly #spanId: string;

  /** `traceId` and `spanId` must be valid: lowercase hex of 32 and 16 digits, not all zero. */
  constructor(traceId: string, spanId: string, traceFlags: number, traceState?: TraceState) {
    this.traceId = traceId;
    this.spanId = spanId;
    this.traceFlags = traceFlags;
    this.isRemote = true;
    this.traceState = traceState;
    this.#traceId = traceId;
    this.#spanId = spanId;
  }

  /** Whether `spanContext` is a RemoteSpanContext whose ids are still the validated ones. */
  static hasOriginalIds(spanContext: SpanContext): boolean {
    return (
      #traceId in spanContext &&
      spanContext.traceId === spanContext.#traceId &&
      spanContext.spanId === spanContext.#spanId
    );
  }
}
