import type { SpanContext } from '@opentelemetry/api';
import { isLowerHex, isNonZeroLowerHex, skipOws, trimOwsEnd } from './header-value';

/** Length of a version-00 `traceparent`: `00-` + 32 + `-` + 16 + `-` + 2. */
const VERSION_00_LENGTH = 55;

/**
 * Longest `traceparent` looked at. Version 00 is exactly 55 characters; a higher version may be
 * longer ("Versioning of traceparent": only prohibitively large headers may be refused), and 512
 * leaves such versions plenty of room while bounding the work on hostile input.
 */
export const MAX_TRACE_PARENT_LENGTH = 512;

/**
 * Flags a version-00 `traceparent` may carry: sampled (`01`) and, in Level 2, random (`02`). The
 * other bits "are reserved for future use. Vendors MUST set those to zero."
 */
const VERSION_00_FLAGS = 0x03;
/** Of a higher version, only "the sampled bit of flags" is parsed ("Versioning of traceparent"). */
const FUTURE_VERSION_FLAGS = 0x01;

export interface ParsedTraceParent {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: number;
}

function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : c - 0x57;
}

/**
 * Parses one `traceparent` value (W3C Trace Context §3.2, "traceparent Header Field Values" and
 * "Versioning of traceparent"). Surrounding optional whitespace is ignored; lowercase hex only;
 * all-zero ids, version `ff`, a version-00 header of any length but 55, and a higher version shorter
 * than 55 or not followed by `-` after the flags are all rejected with `undefined`.
 */
export function parseTraceParent(value: string): ParsedTraceParent | undefined {
  if (value.length > MAX_TRACE_PARENT_LENGTH) return undefined;
  const start = skipOws(value, 0, value.length);
  const end = trimOwsEnd(value, start, value.length);
  const length = end - start;
  if (length < VERSION_00_LENGTH) return undefined;
  if (!isLowerHex(value, start, 2) || value.charCodeAt(start + 2) !== 0x2d) return undefined;
  const v0 = value.charCodeAt(start);
  const v1 = value.charCodeAt(start + 1);
  const isVersion00 = v0 === 0x30 && v1 === 0x30;
  if (v0 === 0x66 && v1 === 0x66) return undefined; // "Version ff is invalid."
  if (
    isVersion00
      ? length !== VERSION_00_LENGTH
      : length > 55 && value.charCodeAt(start + 55) !== 0x2d
  )
    return undefined;
  if (!isNonZeroLowerHex(value, start + 3, 32) || value.charCodeAt(start + 35) !== 0x2d)
    return undefined;
  if (!isNonZeroLowerHex(value, start + 36, 16) || value.charCodeAt(start + 52) !== 0x2d)
    return undefined;
  if (!isLowerHex(value, start + 53, 2)) return undefined;
  const flags =
    (hexValue(value.charCodeAt(start + 53)) << 4) | hexValue(value.charCodeAt(start + 54));
  return {
    traceId: value.slice(start + 3, start + 35),
    spanId: value.slice(start + 36, start + 52),
    traceFlags: flags & (isVersion00 ? VERSION_00_FLAGS : FUTURE_VERSION_FLAGS),
  };
}

/** Whether the span context has ids that may be sent: lowercase hex of the right length, not zero. */
export function hasValidIds(spanContext: SpanContext): boolean {
  const { traceId, spanId } = spanContext;
  return (
    typeof traceId === 'string' &&
    typeof spanId === 'string' &&
    traceId.length === 32 &&
    spanId.length === 16 &&
    isNonZeroLowerHex(traceId, 0, 32) &&
    isNonZeroLowerHex(spanId, 0, 16)
  );
}

const FLAG_SUFFIXES = ['-00', '-01', '-02', '-03'];

/** The version-00 `traceparent` of a span context whose ids are valid. */
export function formatTraceParent(spanContext: SpanContext): string {
  return `00-${spanContext.traceId}-${spanContext.spanId}${FLAG_SUFFIXES[spanContext.traceFlags & VERSION_00_FLAGS]}`;
}
