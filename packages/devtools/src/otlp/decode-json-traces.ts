import {
  type Attributes,
  type AttributeValue,
  type SpanEvent,
  type SpanLink,
  UNKNOWN_SERVICE,
} from '../model';
import { OtlpDecodeError } from './otlp-decode-error';
import { MAX_VALUE_DEPTH, serviceOf, setAttribute } from './set-attribute';
import type { DecodedTraceRequest, UncheckedSpan } from './unchecked-span';
import { jsonNanosToMillis } from './unix-nanos';
import { parentIdOf } from './validate-span';

type JsonObject = Record<string, unknown>;

let utf8: TextDecoder | undefined;

/**
 * Decodes an `ExportTraceServiceRequest` in OTLP/JSON: the proto3 JSON mapping, trace and span
 * ids as (case-insensitive) hex, enums as integers or by their value names (`SPAN_KIND_SERVER`,
 * `STATUS_CODE_ERROR`: OTLP/JSON specifies integers, protojson and the Collector's decoder accept
 * both; an integer in a string, `"2"`, neither), 64-bit integers as decimal strings or numbers,
 * bytes as base64. Every field is read by its lowerCamelCase JSON name (`scopeSpans`, `traceId`,
 * `stringValue`: what OTLP/JSON specifies) or, when that is absent, by its original proto field
 * name (`scope_spans`, `trace_id`, `string_value`), as protojson and the Collector's decoder
 * accept both. Unknown keys are ignored, as the specification requires of receivers (and so are
 * the fields devtools does not keep: the dropped counts of events, links, resources and scopes,
 * the flags of links, schema URLs).
 *
 * A body that is not UTF-8 or not JSON, or whose structure has the wrong JSON types (a list that
 * is not an array, an attribute value of the wrong type, a span's flags or dropped count that is
 * not a uint32), throws an `OtlpDecodeError`. A span's
 * own ids, name, times, kind and status code are handed to validation as they were sent, so that
 * one bad span is rejected alone.
 */
export function decodeJsonTraceRequest(body: Uint8Array): DecodedTraceRequest {
  // JSON between systems is UTF-8 (RFC 8259, 8.1), and a proto3 string "must always contain UTF-8
  // encoded or 7-bit ASCII text": other bytes are refused, not read as U+FFFD. A BOM is dropped.
  utf8 ??= new TextDecoder('utf-8', { fatal: true });
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new OtlpDecodeError('body is not valid UTF-8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new OtlpDecodeError(`body is not JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) throw new OtlpDecodeError('body is not a JSON object');
  const spans: UncheckedSpan[] = [];
  const resourceSpans = arrayOf(field(parsed, 'resourceSpans', 'resource_spans'), 'resourceSpans');
  for (let i = 0; i < resourceSpans.length; i++) {
    try {
      readResourceSpans(resourceSpans[i], spans);
    } catch (error) {
      throw within(`resourceSpans[${i}]`, error);
    }
  }
  return { spans };
}

function readResourceSpans(value: unknown, spans: UncheckedSpan[]): void {
  const message = asObject(value, '');
  const resourceMessage = objectOf(message.resource, 'resource');
  const resource: Attributes = {};
  if (resourceMessage) readAttributes(resourceMessage, resource, 'resource.attributes');
  const service = serviceOf(resource, UNKNOWN_SERVICE);
  const scopeSpans = arrayOf(field(message, 'scopeSpans', 'scope_spans'), 'scopeSpans');
  for (let i = 0; i < scopeSpans.length; i++) {
    const scopeMessage = asObject(scopeSpans[i], `scopeSpans[${i}]`);
    const scopeValue = objectOf(scopeMessage.scope, `scopeSpans[${i}].scope`);
    const scope = {
      name: scopeValue ? (stringOf(scopeValue.name, `scopeSpans[${i}].scope.name`) ?? '') : '',
      version:
        (scopeValue && stringOf(scopeValue.version, `scopeSpans[${i}].scope.version`)) || undefined,
    };
    const list = arrayOf(scopeMessage.spans, `scopeSpans[${i}].spans`);
    for (let j = 0; j < list.length; j++) {
      try {
        spans.push(readSpan(asObject(list[j], ''), resource, service, scope));
      } catch (error) {
        throw within(`scopeSpans[${i}].spans[${j}]`, error);
      }
    }
  }
}

function readSpan(
  message: JsonObject,
  resource: Attributes,
  service: string,
  scope: UncheckedSpan['scope'],
): UncheckedSpan {
  const attributes: Attributes = {};
  readAttributes(message, attributes, 'attributes');
  const events: SpanEvent[] = [];
  const eventList = arrayOf(message.events, 'events');
  for (let i = 0; i < eventList.length; i++) {
    events.push(readEvent(asObject(eventList[i], `events[${i}]`), `events[${i}]`));
  }
  const links: SpanLink[] = [];
  const linkList = arrayOf(message.links, 'links');
  for (let i = 0; i < linkList.length; i++) {
    links.push(readLink(asObject(linkList[i], `links[${i}]`), `links[${i}]`));
  }
  const statusMessage = objectOf(message.status, 'status');
  const status: UncheckedSpan['status'] = {
    code: enumField(statusMessage?.code, STATUS_CODES),
    message: (statusMessage && stringOf(statusMessage.message, 'status.message')) || undefined,
  };
  return {
    traceId: spanIdField(field(message, 'traceId', 'trace_id')),
    spanId: spanIdField(field(message, 'spanId', 'span_id')),
    parentSpanId: parentIdOf(spanIdField(field(message, 'parentSpanId', 'parent_span_id'))),
    name: message.name ?? '',
    kind: enumField(message.kind, SPAN_KINDS),
    startTime: jsonNanosToMillis(field(message, 'startTimeUnixNano', 'start_time_unix_nano')),
    endTime: jsonNanosToMillis(field(message, 'endTimeUnixNano', 'end_time_unix_nano')),
    status,
    service,
    attributes,
    events,
    links,
    resource,
    scope,
    traceState: stringOf(field(message, 'traceState', 'trace_state'), 'traceState') || undefined,
    flags: uint32Of(message.flags, 'flags') || undefined,
    droppedAttributesCount:
      uint32Of(
        field(message, 'droppedAttributesCount', 'dropped_attributes_count'),
        'droppedAttributesCount',
      ) || undefined,
    droppedEventsCount:
      uint32Of(
        field(message, 'droppedEventsCount', 'dropped_events_count'),
        'droppedEventsCount',
      ) || undefined,
    droppedLinksCount:
      uint32Of(field(message, 'droppedLinksCount', 'dropped_links_count'), 'droppedLinksCount') ||
      undefined,
  };
}

const UINT32_MAX = 0xffffffff;
const DIGITS = /^\d+$/;

/**
 * A `uint32` or `fixed32` field (flags, dropped counts): a JSON number, or a decimal string as
 * protojson also reads one; 0 when absent or null. Anything else is no uint32, and the body is
 * refused, as protojson and the Collector refuse it.
 */
function uint32Of(value: unknown, where: string): number {
  if (value === undefined || value === null) return 0;
  const number = typeof value === 'string' && DIGITS.test(value) ? Number(value) : value;
  if (typeof number === 'number' && Number.isInteger(number) && number >= 0) {
    if (number <= UINT32_MAX) return number;
  }
  throw new OtlpDecodeError(`${where} is not a uint32`);
}

const SPAN_KINDS: ReadonlyMap<unknown, number> = new Map([
  ['SPAN_KIND_UNSPECIFIED', 0],
  ['SPAN_KIND_INTERNAL', 1],
  ['SPAN_KIND_SERVER', 2],
  ['SPAN_KIND_CLIENT', 3],
  ['SPAN_KIND_PRODUCER', 4],
  ['SPAN_KIND_CONSUMER', 5],
]);

const STATUS_CODES: ReadonlyMap<unknown, number> = new Map([
  ['STATUS_CODE_UNSET', 0],
  ['STATUS_CODE_OK', 1],
  ['STATUS_CODE_ERROR', 2],
]);

/**
 * An enum field's value: 0 when absent or null, the number of a value's name (exactly as the
 * proto spells it, as protojson matches it), an int32 as it is (-0 as 0), anything else as it was
 * sent, for validation to reject.
 */
function enumField(value: unknown, names: ReadonlyMap<unknown, number>): unknown {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return (value | 0) === value ? value | 0 : value;
  return names.get(value) ?? value;
}

/** A span's id, left for validation to judge: lowercase hex, `''` when absent. */
function spanIdField(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value.toLowerCase() : String(value);
}

function readEvent(message: JsonObject, where: string): SpanEvent {
  const time = jsonNanosToMillis(field(message, 'timeUnixNano', 'time_unix_nano'));
  if (Number.isNaN(time)) throw new OtlpDecodeError(`${where}.timeUnixNano is not a uint64`);
  const attributes: Attributes = {};
  readAttributes(message, attributes, `${where}.attributes`);
  return { time, name: stringOf(message.name, `${where}.name`) ?? '', attributes };
}

function readLink(message: JsonObject, where: string): SpanLink {
  const attributes: Attributes = {};
  readAttributes(message, attributes, `${where}.attributes`);
  return {
    traceId: (
      stringOf(field(message, 'traceId', 'trace_id'), `${where}.traceId`) ?? ''
    ).toLowerCase(),
    spanId: (stringOf(field(message, 'spanId', 'span_id'), `${where}.spanId`) ?? '').toLowerCase(),
    attributes,
  };
}

/** The `attributes` list (of `KeyValue`s) of a message, set on `into`. */
function readAttributes(message: JsonObject, into: Attributes, where: string): void {
  const list = arrayOf(message.attributes, where);
  for (let i = 0; i < list.length; i++) readKeyValue(list[i], into, `${where}[${i}]`, 0);
}

function readKeyValue(value: unknown, into: Attributes, where: string, depth: number): void {
  const keyValue = asObject(value, where);
  const key = stringOf(keyValue.key, `${where}.key`) ?? '';
  const anyValue = keyValue.value;
  setAttribute(
    into,
    key,
    anyValue === undefined || anyValue === null
      ? null
      : readAnyValue(anyValue, `${where}.value`, depth),
  );
}

const INTEGER = /^-?\d+$/;
const FLOAT = /^(?:-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|NaN|-?Infinity)$/;

/** An `AnyValue` object: the first member present (none is null). */
function readAnyValue(value: unknown, where: string, depth: number): AttributeValue {
  const any = asObject(value, where);
  let member: unknown;
  if ((member = field(any, 'stringValue', 'string_value')) !== undefined && member !== null) {
    if (typeof member === 'string') return member;
  } else if ((member = field(any, 'boolValue', 'bool_value')) !== undefined && member !== null) {
    if (typeof member === 'boolean') return member;
  } else if ((member = field(any, 'intValue', 'int_value')) !== undefined && member !== null) {
    if (typeof member === 'number' && Number.isInteger(member)) {
      return Number.isSafeInteger(member) ? member : int64OfNumber(member, where);
    }
    if (typeof member === 'string' && INTEGER.test(member)) {
      const number = Number(member);
      // Past ±(2^53 − 1) a double is not exact: the value is kept as its decimal string.
      return Number.isSafeInteger(number) ? number : int64String(member, where);
    }
    throw new OtlpDecodeError(`${where}.intValue is not an integer`);
  } else if (
    (member = field(any, 'doubleValue', 'double_value')) !== undefined &&
    member !== null
  ) {
    if (typeof member === 'number') return member;
    if (typeof member === 'string' && FLOAT.test(member)) return Number(member);
    throw new OtlpDecodeError(`${where}.doubleValue is not a number`);
  } else if ((member = field(any, 'arrayValue', 'array_value')) !== undefined && member !== null) {
    if (depth >= MAX_VALUE_DEPTH) throw tooDeep(where);
    const arrayWhere = `${where}.arrayValue`;
    const list = arrayOf(asObject(member, arrayWhere).values, `${arrayWhere}.values`);
    const values: AttributeValue[] = [];
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      const itemWhere = `${where}.arrayValue.values[${i}]`;
      values.push(item === null ? null : readAnyValue(item, itemWhere, depth + 1));
    }
    return values;
  } else if (
    (member = field(any, 'kvlistValue', 'kvlist_value')) !== undefined &&
    member !== null
  ) {
    if (depth >= MAX_VALUE_DEPTH) throw tooDeep(where);
    const listWhere = `${where}.kvlistValue`;
    const list = arrayOf(asObject(member, listWhere).values, `${listWhere}.values`);
    const values: Attributes = {};
    for (let i = 0; i < list.length; i++) {
      readKeyValue(list[i], values, `${listWhere}.values[${i}]`, depth + 1);
    }
    return values;
  } else if ((member = field(any, 'bytesValue', 'bytes_value')) !== undefined && member !== null) {
    if (typeof member === 'string') {
      if (isBase64(member)) return member;
      throw new OtlpDecodeError(`${where}.bytesValue is not base64`);
    }
  } else {
    return null;
  }
  throw new OtlpDecodeError(`${where} has a member of the wrong type`);
}

/**
 * Base64 as protobuf's JSON mapping reads `bytes`: the standard or the URL-safe alphabet, with or
 * without padding ("Either standard or URL-safe base64 encoding with/without paddings are
 * accepted").
 */
function isBase64(text: string): boolean {
  const digits = text.replace(/={1,2}$/, '');
  if (!(/^[A-Za-z0-9+/]*$/.test(digits) || /^[A-Za-z0-9_-]*$/.test(digits))) return false;
  // 4 digits make 3 bytes; a last group of 1 makes none; padding fills the last group to 4
  if (digits.length % 4 === 1) return false;
  return digits.length === text.length || text.length % 4 === 0;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** An integer's decimal digits, beyond the safe range, as the exact int64 decimal string. */
function int64String(digits: string, where: string): string {
  // Far out of range (or very long): no BigInt of it. Near the bounds: checked exactly.
  if (Math.abs(Number(digits)) <= 2 ** 64) {
    const value = BigInt(digits);
    if (value >= INT64_MIN && value <= INT64_MAX) return value.toString();
  }
  throw new OtlpDecodeError(`${where}.intValue is out of the int64 range`);
}

/**
 * An integer JSON number beyond the safe range (already rounded by the JSON parser) as the
 * decimal string the model keeps such values as. ±2^63 is the nearest double to the int64 bounds,
 * so +2^63 stands for INT64_MAX; past them it is no int64.
 */
function int64OfNumber(value: number, where: string): string {
  if (value === 2 ** 63) return INT64_MAX.toString();
  return int64String(BigInt(value).toString(), where);
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function asObject(value: unknown, where: string): JsonObject {
  if (isObject(value)) return value;
  throw new OtlpDecodeError(`${where} is not an object`);
}

/**
 * A field's value by its JSON name (lowerCamelCase), or by its proto field name (snake_case) when
 * the JSON name is absent or null. Protojson accepts either spelling for every field.
 */
function field(message: JsonObject, jsonName: string, protoName: string): unknown {
  const value = message[jsonName];
  return value === undefined || value === null ? message[protoName] : value;
}

/** A repeated field's value: absent or null is empty. */
function arrayOf(value: unknown, where: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  throw new OtlpDecodeError(`${where} is not an array`);
}

function objectOf(value: unknown, where: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  return asObject(value, where);
}

function stringOf(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  throw new OtlpDecodeError(`${where} is not a string`);
}

function tooDeep(where: string): OtlpDecodeError {
  return new OtlpDecodeError(`${where} nests deeper than ${MAX_VALUE_DEPTH} levels`);
}

/**
 * An error from inside a list element, with the element's place in front of its message (whose
 * own path is relative to the element, empty for the element itself).
 */
function within(where: string, error: unknown): unknown {
  if (!(error instanceof OtlpDecodeError)) return error;
  const message = error.message;
  return new OtlpDecodeError(`${where}${message.startsWith(' ') ? '' : '.'}${message}`);
}
