import type { HrTime } from '@opentelemetry/api';
import { type FinishedSpan, isCheckedSpan } from '@spanlite/core';

/**
 * Throws when `span` has a field no OTLP field can hold: ids that are not 32 or 16 hex digits,
 * times outside 1970–2554 (unsigned nanoseconds since the epoch) or not whole, a kind or status
 * code outside the API's, a negative count. The encoders would write such a field as bytes a
 * collector rejects with the whole request; thrown, the exporter drops the span instead and sends
 * the rest of its batch. spanlite's own spans were checked on the way in and are not checked again.
 */
export function checkEncodable(span: FinishedSpan): void {
  if (isCheckedSpan(span)) return;
  const context = span.spanContext();
  // The spans of a trace share its id, and siblings their parent's: the last of each found valid
  // is not checked again (most are the very same string).
  if (context.traceId !== lastTraceId) {
    if (!isId(context.traceId, 32)) unencodable(span, 'trace id');
    lastTraceId = context.traceId;
  }
  if (!isId(context.spanId, 16)) unencodable(span, 'span id');
  const parent = span.parentSpanContext?.spanId;
  if (parent && parent !== lastParentId) {
    if (!isId(parent, 16)) unencodable(span, 'parent span id');
    lastParentId = parent;
  }
  if (!isUint(span.kind, 4) || !isUint(span.status.code, 2)) unencodable(span, 'kind or status');
  if (!isTime(span.startTime) || !isTime(span.endTime)) unencodable(span, 'time');
  if (!isCount(span.droppedAttributesCount) || !isCount(span.droppedEventsCount)) {
    unencodable(span, 'dropped count');
  }
  if (!isCount(span.droppedLinksCount)) unencodable(span, 'dropped count');
  for (const event of span.events) {
    if (!isTime(event.time) || !isCount(event.droppedAttributesCount)) unencodable(span, 'event');
  }
  for (const link of span.links) {
    const { traceId, spanId } = link.context;
    if (!isId(traceId, 32) || !isId(spanId, 16) || !isCount(link.droppedAttributesCount)) {
      unencodable(span, 'link');
    }
  }
}

let lastTraceId = '';
let lastParentId = '';

function unencodable(span: FinishedSpan, what: string): never {
  throw new Error(`span "${String(span.name)}": its ${what} cannot be written in OTLP`);
}

const HEX = /^[\da-f]*$/i;

function isId(id: unknown, length: number): boolean {
  return typeof id === 'string' && id.length === length && HEX.test(id);
}

function isUint(value: unknown, max: number): boolean {
  return typeof value === 'number' && value >>> 0 === value && value <= max;
}

/** A uint32 count; `undefined` (a span of an older SDK) is none. */
function isCount(value: unknown): boolean {
  return value === undefined || isUint(value, 0xffffffff);
}

/**
 * Whole seconds and nanoseconds from 1970 up to 2^64 − 1 ns (18446744073 s 709551615 ns).
 * Nanoseconds of exactly 10^9 pass, carried into the seconds by the encoders: sdk-trace-base's
 * rounding of milliseconds makes them.
 */
function isTime(time: HrTime): boolean {
  if (!Array.isArray(time)) return false;
  let [seconds, nanos] = time;
  if (!Number.isSafeInteger(seconds) || !Number.isSafeInteger(nanos)) return false;
  if (seconds < 0 || nanos < 0 || nanos > 1e9) return false;
  if (nanos === 1e9) {
    seconds += 1;
    nanos = 0;
  }
  return seconds < 18446744073 || (seconds === 18446744073 && nanos <= 709551615);
}
