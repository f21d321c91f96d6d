/**
 * The span as devtools keeps it: decoded from OTLP (protobuf or JSON) or made by the manual-span
 * API, validated, with times in epoch milliseconds (fractional: a double holds them to about a
 * quarter of a microsecond, finer than any clock a span is timed with).
 */

/**
 * An OTLP AnyValue as plain JSON. `bytes` values are kept as base64 strings. An `int` value is a
 * number when it is a safe integer (within ±(2^53 − 1), where a double is exact) and its exact
 * decimal string beyond (`"9223372036854775807"`): a JSON number past 2^53 would be rounded.
 */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };

export type Attributes = Record<string, AttributeValue>;

/**
 * OTLP's span kinds: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. A
 * stored span's `kind` may also be another int32 a sender used (see `StoredSpan`).
 */
export type SpanKindNumber = 0 | 1 | 2 | 3 | 4 | 5;

/**
 * OTLP's status codes: 0 unset, 1 ok, 2 error. A stored span's `status.code` may also be another
 * int32 a sender used (see `StoredSpan`).
 */
export type StatusCodeNumber = 0 | 1 | 2;

export interface SpanEvent {
  /** Epoch milliseconds. */
  time: number;
  name: string;
  attributes: Attributes;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  attributes: Attributes;
}

export interface StoredSpan {
  /** 32 lowercase hex digits, not all zero. */
  traceId: string;
  /** 16 lowercase hex digits, not all zero. */
  spanId: string;
  /** 16 lowercase hex digits, or undefined for a root. */
  parentSpanId: string | undefined;
  name: string;
  /**
   * OTLP's `SpanKind` number (`SpanKindNumber`), or any other int32 as it was sent: OTLP's enums
   * are open, and the Collector keeps a number it does not know too (the API shows it as
   * `unknown`).
   */
  kind: number;
  /** Epoch milliseconds. */
  startTime: number;
  /** Epoch milliseconds, never before startTime. */
  endTime: number;
  /** `code`: OTLP's `StatusCode` (`StatusCodeNumber`), or any other int32 as it was sent. */
  status: { code: number; message?: string };
  /** The resource's `service.name`, or `unknown_service`. */
  service: string;
  attributes: Attributes;
  events: SpanEvent[];
  links: SpanLink[];
  resource: Attributes;
  scope: { name: string; version?: string };
  traceState?: string;
  /**
   * OTLP's span `flags` as sent, when not 0: the W3C trace flags in bits 0–7 (bit 0 sampled), and
   * whether the parent is remote: bit 8 says the sender knows it, bit 9 that it is (see
   * `parentIsRemote`). The decoders always set the property (undefined when the sender sent 0 or
   * nothing), so that every received span has the same shape.
   */
  flags?: number;
  /** How many attributes the sender dropped (span limits), when not 0. */
  droppedAttributesCount?: number;
  /** How many events the sender dropped, when not 0. */
  droppedEventsCount?: number;
  /** How many links the sender dropped, when not 0. */
  droppedLinksCount?: number;
}

/** OTLP `SpanFlags` bit 8: the sender knows whether the span's parent is remote. */
export const SPAN_FLAGS_HAS_IS_REMOTE = 0x100;
/** OTLP `SpanFlags` bit 9: the span's parent is remote (meaningful with bit 8). */
export const SPAN_FLAGS_IS_REMOTE = 0x200;

/**
 * Whether the span's parent lives in another process (the span continues a `traceparent` it
 * received), as its sender flagged it: undefined when the sender did not say, or for a root.
 */
export function parentIsRemote(span: StoredSpan): boolean | undefined {
  const flags = span.flags ?? 0;
  if (span.parentSpanId === undefined || (flags & SPAN_FLAGS_HAS_IS_REMOTE) === 0) return undefined;
  return (flags & SPAN_FLAGS_IS_REMOTE) !== 0;
}

export const UNKNOWN_SERVICE = 'unknown_service';

export const durationOf = (span: StoredSpan): number => span.endTime - span.startTime;

/** A span is in error when its status is ERROR. */
export const isErrorSpan = (span: StoredSpan): boolean => span.status.code === 2;
