import type { SpanContext } from '@opentelemetry/api';

/**
 * The span context B3 extract produces: ids validated by the parser, with a private copy so that
 * inject can tell they are still those (a caller may reassign the public fields; then they are
 * validated again) and skip re-checking 48 hex digits. Private fields are invisible to
 * `Object.keys`, `JSON.stringify` and deep equality, so it reads as a plain span context. (The W3C
 * propagator's equivalent lives in @spanlite/core, which does not export it.)
 */
export class B3SpanContext implements SpanContext {
  traceId: string;
  spanId: string;
  traceFlags: number;
  isRemote: boolean;
  readonly #traceId: string;
  readonly #spanId: string;

  /** `traceId` and `spanId` must be valid: lowercase hex of 32 and 16 digits, not all zero. */
  constructor(traceId: string, spanId: string, traceFlags: number) {
    this.traceId = traceId;
    this.spanId = spanId;
    this.traceFlags = traceFlags;
    this.isRemote = true;
    this.#traceId = traceId;
    this.#spanId = spanId;
  }

  /** Whether `spanContext` is a B3SpanContext whose ids are still the validated ones. */
  static hasOriginalIds(spanContext: SpanContext): boolean {
    return (
      #traceId in spanContext &&
      spanContext.traceId === spanContext.#traceId &&
      spanContext.spanId === spanContext.#spanId
    );
  }
}
