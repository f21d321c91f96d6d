import { HEX_NONZERO, readHeaderLines, readSingleHeader, scanLowerHex } from '@spanlite/core';

/** What a B3 header set says: ids (absent for a sampling-only header) and the sampling state. */
export interface ParsedB3 {
  /** 32 lowercase hex; a 64-bit id is left-padded with zeros. Absent for a sampling-only header. */
  readonly traceId?: string;
  readonly spanId?: string;
  /** `true` accept, `false` deny, `undefined` deferred (no sampling state sent). */
  readonly sampled?: boolean;
  readonly debug: boolean;
}

/** Longest single `b3` value: 32 + 1 + 16 + 1 + 1 + 1 + 16 = 68; a little room for whitespace. */
const MAX_B3_SINGLE_LENGTH = 128;
const PADDING_64 = '0000000000000000';

function trim(value: string): string {
  let from = 0;
  let to = value.length;
  while (from < to && (value.charCodeAt(from) === 0x20 || value.charCodeAt(from) === 0x09)) from++;
  while (to > from && (value.charCodeAt(to - 1) === 0x20 || value.charCodeAt(to - 1) === 0x09))
    to--;
  return from === 0 && to === value.length ? value : value.slice(from, to);
}

/** A single header line of at most `max` characters, optional whitespace trimmed. */
function readShortHeader(value: unknown, max: number): string | undefined {
  const raw = typeof value === 'string' ? value : readSingleHeader(value);
  return raw === undefined || raw.length > max ? undefined : trim(raw);
}

/** Longest `X-B3-*` value read: room for a few values joined with commas. */
const MAX_B3_MULTI_LENGTH = 128;

/**
 * An `X-B3-*` header's value, optional whitespace trimmed; of several lines, the first
 * (openzipkin/b3-propagation, "Multiple Headers": "When extracting state headers, the first value
 * wins").
 */
function readMultiHeader(value: unknown): string | undefined {
  let raw: string | undefined;
  if (typeof value === 'string') raw = value;
  else {
    const lines = readHeaderLines(value);
    raw = typeof lines === 'string' || lines === undefined ? lines : lines[0];
  }
  return raw === undefined || raw.length > MAX_B3_MULTI_LENGTH ? undefined : trim(raw);
}

/**
 * Of several values joined with commas into one (Node's `IncomingMessage` and Fetch's `Headers` join
 * a repeated header so), the first, trimmed; `undefined` when there is no comma. Only called for a
 * value that did not parse as it is: a valid value holds no comma.
 */
function firstJoined(value: string | undefined): string | undefined {
  const comma = value === undefined ? -1 : value.indexOf(',');
  return comma < 0 ? undefined : trim(value!.slice(0, comma));
}

/** `X-B3-Sampled`: `1` / `0`, or the legacy `true` / `false`; anything else `undefined`. */
function readSampled(value: string | undefined): boolean | undefined {
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  return undefined;
}

/** A 32 or 16 lower-hex trace id, 128 bits (a 64-bit one left-padded), or `undefined`. */
function readTraceId(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (isId(value, 32)) return value;
  return isId(value, 16) ? PADDING_64 + value : undefined;
}

/** A 16 lower-hex span id, or `undefined`. */
function readSpanId(value: string | undefined): string | undefined {
  return value !== undefined && isId(value, 16) ? value : undefined;
}

/** What {@link scanB3Single} found. */
export const B3_INVALID = 0;
export const B3_SAMPLING_ONLY = 1;
export const B3_IDS = 2;

/**
 * The result of the last {@link scanB3Single}, read by its caller at once: the scan is synchronous
 * and calls nothing, so extract needs no intermediate object.
 */
export const scanned = {
  traceId: '',
  spanId: '',
  sampled: undefined as boolean | undefined,
  debug: false,
};

/** Reads a sampling state character (`1`, `0`, `d`) into {@link scanned}; `false` for others. */
function readSamplingState(c: number): boolean {
  if (c === 0x31) scanned.sampled = true;
  else if (c === 0x30) scanned.sampled = false;
  else if (c === 0x64) {
    scanned.sampled = true;
    scanned.debug = true;
  } else return false;
  return true;
}

/**
 * {@link parseB3Single} into {@link scanned}: {@link B3_INVALID}, {@link B3_SAMPLING_ONLY} or
 * {@link B3_IDS}.
 */
export function scanB3Single(header: unknown): number {
  const value = readShortHeader(header, MAX_B3_SINGLE_LENGTH);
  if (value === undefined) return B3_INVALID;
  scanned.sampled = undefined;
  scanned.debug = false;
  const length = value.length;
  if (length === 1) return readSamplingState(value.charCodeAt(0)) ? B3_SAMPLING_ONLY : B3_INVALID;
  const traceIdLength = value.charCodeAt(16) === 0x2d ? 16 : 32;
  if (traceIdLength === 32 && value.charCodeAt(32) !== 0x2d) return B3_INVALID;
  const spanStart = traceIdLength + 1;
  const spanEnd = spanStart + 16;
  if (length < spanEnd) return B3_INVALID;
  if (length > spanEnd) {
    // `-{SamplingState}` and optionally `-{ParentSpanId}`.
    if (value.charCodeAt(spanEnd) !== 0x2d || length < spanEnd + 2) return B3_INVALID;
    if (!readSamplingState(value.charCodeAt(spanEnd + 1))) return B3_INVALID;
    const stateEnd = spanEnd + 2;
    if (length !== stateEnd) {
      if (length !== stateEnd + 17 || value.charCodeAt(stateEnd) !== 0x2d) return B3_INVALID;
      if (scanLowerHex(value, stateEnd + 1, 16) !== HEX_NONZERO) return B3_INVALID;
    }
  }
  // One pass per id checks its digits and that it is not all zeros.
  if (
    scanLowerHex(value, 0, traceIdLength) !== HEX_NONZERO ||
    scanLowerHex(value, spanStart, 16) !== HEX_NONZERO
  )
    return B3_INVALID;
  const traceId = value.slice(0, traceIdLength);
  const spanId = value.slice(spanStart, spanEnd);
  scanned.traceId = traceIdLength === 16 ? PADDING_64 + traceId : traceId;
  scanned.spanId = spanId;
  return B3_IDS;
}

/**
 * Parses the single `b3` header (openzipkin/b3-propagation, "Single Header"):
 * `{TraceId}-{SpanId}`, `{TraceId}-{SpanId}-{SamplingState}`,
 * `{TraceId}-{SpanId}-{SamplingState}-{ParentSpanId}`, or the sampling-only `0`, `1`, `d`.
 * TraceId is 16 or 32 lowercase hex, SpanId and ParentSpanId 16; ids may not be all zeros. Anything
 * else, including uppercase hex, is `undefined`.
 */
export function parseB3Single(header: unknown): ParsedB3 | undefined {
  const kind = scanB3Single(header);
  if (kind === B3_INVALID) return undefined;
  if (kind === B3_SAMPLING_ONLY) return { sampled: scanned.sampled, debug: scanned.debug };
  return {
    traceId: scanned.traceId,
    spanId: scanned.spanId,
    sampled: scanned.sampled,
    debug: scanned.debug,
  };
}

function isId(value: string, length: 16 | 32): boolean {
  return value.length === length && scanLowerHex(value, 0, length) === HEX_NONZERO;
}

/**
 * Parses the multiple `X-B3-*` headers (openzipkin/b3-propagation, "Multiple Headers"), read through
 * `get` by lowercase name; of a header sent more than once the first value wins. `X-B3-Sampled` is
 * `1` or `0` (and the legacy `true` / `false` the specification lets a lenient implementation
 * accept); `X-B3-Flags: 1` is debug, which implies accept. With neither TraceId nor SpanId the
 * headers are a sampling-only decision; with one of them missing or any id malformed, `undefined`.
 * A header `get` returns as `null` or `""` counts as missing.
 */
export function parseB3Multi(get: (name: string) => unknown): ParsedB3 | undefined {
  const traceIdHeader = get('x-b3-traceid');
  const spanIdHeader = get('x-b3-spanid');
  const sampledValue = readMultiHeader(get('x-b3-sampled'));
  const flagsValue = readMultiHeader(get('x-b3-flags'));
  const debug = flagsValue === '1' || firstJoined(flagsValue) === '1';
  // Debug implies accept.
  const sampled = debug || (readSampled(sampledValue) ?? readSampled(firstJoined(sampledValue)));

  // A getter may report a missing header as null or "" (Fetch's `Headers.get`, some map carriers).
  // Compared here rather than in a helper: a call made this path ~10% slower (bench).
  if (
    (traceIdHeader === undefined || traceIdHeader === null || traceIdHeader === '') &&
    (spanIdHeader === undefined || spanIdHeader === null || spanIdHeader === '')
  ) {
    return sampled === undefined ? undefined : { sampled, debug };
  }
  const rawTraceId = readMultiHeader(traceIdHeader);
  const rawSpanId = readMultiHeader(spanIdHeader);
  const traceId = readTraceId(rawTraceId) ?? readTraceId(firstJoined(rawTraceId));
  const spanId = readSpanId(rawSpanId) ?? readSpanId(firstJoined(rawSpanId));
  if (traceId === undefined || spanId === undefined) return undefined;
  const parentHeader = get('x-b3-parentspanid');
  if (parentHeader !== undefined && parentHeader !== null && parentHeader !== '') {
    const parent = readMultiHeader(parentHeader);
    if ((readSpanId(parent) ?? readSpanId(firstJoined(parent))) === undefined) return undefined;
  }
  return { traceId, spanId, sampled, debug };
}
