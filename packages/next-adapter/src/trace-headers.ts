import type { Span } from '@opentelemetry/api';
import { W3C_RANDOM_FLAG } from '@spanlite/core';

const HEX = /^[0-9a-f]+$/;

/**
 * `00-<trace id>-<span id>-<flags>`, the format of `traceparent` and `traceresponse`: the
 * sampled flag as given, and the random-trace-id flag from `traceFlags` (the Level 3 draft's
 * `traceresponse` carries both, as `traceparent` does).
 */
export function formatTraceHeader(
  traceId: string,
  spanId: string,
  sampled: boolean,
  traceFlags: number,
): string {
  return `00-${traceId}-${spanId}-0${(sampled ? 1 : 0) | (traceFlags & W3C_RANDOM_FLAG)}`;
}

/** Matches an id with a digit other than 0: at its first character, but for the invalid id. */
const NONZERO = /[^0]/;

/**
 * Adds `traceresponse` (W3C Trace Context Level 3 draft: this service's span, whether this service
 * kept the trace, and whether its trace id is random) and `Server-Timing: traceparent;desc="…"` to a response's headers. Headers that
 * cannot change (an immutable response) are left as they are. The span is one of spanlite's,
 * whose ids are lowercase hex by construction: only their length and the invalid all-zero ids are
 * checked here (two regular expressions per id were ~2 µs a request in bench/src/next.bench.mjs).
 */
export function addTraceHeaders(
  headers: Headers,
  span: Span,
  sampled: boolean,
  traceResponse: boolean,
  serverTiming: boolean,
): void {
  const sc = span.spanContext();
  const traceId = sc.traceId;
  const spanId = sc.spanId;
  if (traceId.length !== 32 || spanId.length !== 16) return;
  if (!NONZERO.test(traceId) || !NONZERO.test(spanId)) return;
  const value = formatTraceHeader(traceId, spanId, sampled, sc.traceFlags);
  try {
    if (traceResponse) headers.set('traceresponse', value);
    if (serverTiming) {
      const entry = `traceparent;desc="${value}"`;
      const present = headers.get('server-timing');
      headers.set('server-timing', present === null ? entry : replaceTraceparent(present, entry));
    }
  } catch {
    // Response.redirect(), Response.error() and fetched responses have immutable headers.
  }
}

const TRACEPARENT_METRIC = /^\s*traceparent\s*(;|$)/i;

/**
 * A `Server-Timing` value with `entry` in place of its `traceparent` metrics: a response object
 * returned to more than one request (a shared 204, say) carries this request's only, instead of
 * one more on each request.
 */
function replaceTraceparent(value: string, entry: string): string {
  const kept = splitMetrics(value).filter((metric) => !TRACEPARENT_METRIC.test(metric));
  return kept.length === 0 ? entry : `${kept.join(',')}, ${entry}`;
}

/** The metrics of a `Server-Timing` value: split at the commas outside quoted strings. */
function splitMetrics(value: string): string[] {
  const metrics: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const char = value[i];
    // in a quoted string, a backslash takes the next character as it is (quoted-pair)
    if (quoted && char === '\\') i++;
    else if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) {
      metrics.push(value.slice(start, i));
      start = i + 1;
    }
  }
  metrics.push(value.slice(start));
  return metrics;
}

export interface ParsedTraceResponse {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

/** A `traceresponse` header of version 00, or undefined when there is none or it is invalid. */
export function parseTraceResponse(value: string | null): ParsedTraceResponse | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (trimmed.length !== 55 || !trimmed.startsWith('00-')) return undefined;
  const traceId = trimmed.slice(3, 35);
  const spanId = trimmed.slice(36, 52);
  const flags = trimmed.slice(53, 55);
  if (trimmed[35] !== '-' || trimmed[52] !== '-') return undefined;
  if (!isValidId(traceId, 32) || !isValidId(spanId, 16) || !HEX.test(flags)) return undefined;
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

function isValidId(id: string, length: number): boolean {
  return id.length === length && HEX.test(id) && !/^0+$/.test(id);
}
