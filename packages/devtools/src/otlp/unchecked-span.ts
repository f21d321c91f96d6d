import type { StoredSpan } from '../model';

/**
 * A span as a decoder read it, before validation: shaped like a `StoredSpan` (so that a span that
 * passes is kept as it is, without a copy), but with the fields validation still has to check
 * typed as loosely as a request can send them.
 *
 * - `traceId`, `spanId`: lowercase hex of whatever length was sent (`''` when absent).
 * - `parentSpanId`: undefined when absent, empty or all zeros (see `parentIdOf`).
 * - `name`: whatever OTLP/JSON sent (protobuf always gives a string).
 * - `startTime`, `endTime`: epoch ms; 0 when absent, NaN when not a uint64.
 * - `kind`, `status.code`: the number sent, or of the value name sent (OTLP/JSON); else whatever
 *   OTLP/JSON sent (a string that names no value, a fraction, an object).
 */
export interface UncheckedSpan extends Omit<StoredSpan, 'name' | 'kind' | 'status'> {
  name: unknown;
  kind: unknown;
  status: { code: unknown; message?: string };
}

/** What a decoder makes of one request body. */
export interface DecodedTraceRequest {
  spans: UncheckedSpan[];
}
