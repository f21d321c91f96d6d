import {
  type Attributes,
  type AttributeValue,
  type SpanEvent,
  type SpanLink,
  UNKNOWN_SERVICE,
} from '../model';
import { OtlpDecodeError } from './otlp-decode-error';
import { isInvalidUtf8, type LastId, newLastId, ProtobufReader } from './protobuf-reader';
import { MAX_VALUE_DEPTH, serviceOf, setAttribute } from './set-attribute';
import type { DecodedTraceRequest, UncheckedSpan } from './unchecked-span';
import { parentIdOf } from './validate-span';

// Tags are (field number << 3) | wire type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32),
// with the field numbers of OTLP 1.x: opentelemetry/proto/collector/trace/v1/trace_service.proto,
// trace/v1/trace.proto, resource/v1/resource.proto and common/v1/common.proto. A known field
// number arriving with another wire type is skipped like an unknown field.

/** The ids read last, per field (see `ProtobufReader.hexId`). */
interface IdCaches {
  traceId: LastId;
  spanId: LastId;
  parentSpanId: LastId;
  linkTraceId: LastId;
  linkSpanId: LastId;
}

const PLACEHOLDER_RESOURCE: Attributes = Object.freeze({}) as Attributes;
const PLACEHOLDER_SCOPE = Object.freeze({ name: '' });

/**
 * Decodes an `ExportTraceServiceRequest` in protobuf's binary encoding. Throws an
 * `OtlpDecodeError` for a body that is not one (truncated, garbage, a bad wire type, a string that
 * is not UTF-8); the spans it returns are not validated yet.
 */
export function decodeProtobufTraceRequest(body: Uint8Array): DecodedTraceRequest {
  const r = new ProtobufReader(body);
  const ids: IdCaches = {
    traceId: newLastId(),
    spanId: newLastId(),
    parentSpanId: newLastId(),
    linkTraceId: newLastId(),
    linkSpanId: newLastId(),
  };
  const spans: UncheckedSpan[] = [];
  const end = body.length;
  try {
    while (r.pos < end) {
      const tag = r.varint(end);
      if (tag === 0x0a) readResourceSpans(r, r.lengthEnd(end), spans, ids);
      else r.skip(tag, end);
    }
  } catch (error) {
    // The reader leaves a string's bytes that are not UTF-8 to the TextDecoder, which throws.
    if (isInvalidUtf8(error)) {
      throw new OtlpDecodeError(`a string at byte ${r.pos} is not valid UTF-8`);
    }
    throw error;
  }
  return { spans };
}

function readResourceSpans(
  r: ProtobufReader,
  end: number,
  spans: UncheckedSpan[],
  ids: IdCaches,
): void {
  const first = spans.length;
  let resource: Attributes | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === 0x0a) resource = readResource(r, r.lengthEnd(end), resource);
    else if (tag === 0x12) readScopeSpans(r, r.lengthEnd(end), spans, ids);
    else r.skip(tag, end);
  }
  r.expectEnd(end);
  // The resource may come after its spans: it is set on them once the message is read.
  resource ??= {};
  const service = serviceOf(resource, UNKNOWN_SERVICE);
  for (let i = first; i < spans.length; i++) {
    const span = spans[i]!;
    span.resource = resource;
    span.service = service;
  }
}

/** `Resource`: attributes = 1 (the dropped count and entity refs are skipped). */
function readResource(r: ProtobufReader, end: number, into: Attributes | undefined): Attributes {
  // A repeated message field merges, as protobuf does.
  const attributes: Attributes = into ?? {};
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === 0x0a) readKeyValue(r, r.lengthEnd(end), attributes, 0);
    else r.skip(tag, end);
  }
  r.expectEnd(end);
  return attributes;
}

function readScopeSpans(
  r: ProtobufReader,
  end: number,
  spans: UncheckedSpan[],
  ids: IdCaches,
): void {
  const first = spans.length;
  let name = '';
  let version: string | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === 0x12) {
      spans.push(readSpan(r, r.lengthEnd(end), ids));
    } else if (tag === 0x0a) {
      // InstrumentationScope: name = 1, version = 2 (its attributes are skipped).
      const scopeEnd = r.lengthEnd(end);
      while (r.pos < scopeEnd) {
        const inner = r.varint(scopeEnd);
        if (inner === 0x0a) name = r.string(scopeEnd);
        else if (inner === 0x12) version = r.string(scopeEnd) || undefined;
        else r.skip(inner, scopeEnd);
      }
      r.expectEnd(scopeEnd);
    } else r.skip(tag, end);
  }
  r.expectEnd(end);
  const scope = { name, version };
  for (let i = first; i < spans.length; i++) spans[i]!.scope = scope;
}

function readSpan(r: ProtobufReader, end: number, ids: IdCaches): UncheckedSpan {
  let traceId = '';
  let spanId = '';
  let parentSpanId: string | undefined;
  let traceState: string | undefined;
  let name = '';
  let kind = 0;
  let startTime = 0;
  let endTime = 0;
  const attributes: Attributes = {};
  const events: SpanEvent[] = [];
  const links: SpanLink[] = [];
  let status: UncheckedSpan['status'] = { code: 0, message: undefined };
  let flags = 0;
  let droppedAttributes = 0;
  let droppedEvents = 0;
  let droppedLinks = 0;
  while (r.pos < end) {
    const tag = r.varint(end);
    switch (tag) {
      case 0x0a: // trace_id = 1
        traceId = r.hexId(end, ids.traceId);
        break;
      case 0x12: // span_id = 2
        spanId = r.hexId(end, ids.spanId);
        break;
      case 0x1a: // trace_state = 3
        traceState = r.string(end) || undefined;
        break;
      case 0x22: // parent_span_id = 4
        parentSpanId = parentIdOf(r.hexId(end, ids.parentSpanId));
        break;
      case 0x2a: // name = 5
        name = r.string(end);
        break;
      case 0x30: // kind = 6, an enum: an int32, kept when OTLP does not define it
        kind = r.int32(end);
        break;
      case 0x39: // start_time_unix_nano = 7
        startTime = r.unixNanos(end);
        break;
      case 0x41: // end_time_unix_nano = 8
        endTime = r.unixNanos(end);
        break;
      case 0x4a: // attributes = 9
        readKeyValue(r, r.lengthEnd(end), attributes, 0);
        break;
      case 0x50: // dropped_attributes_count = 10
        droppedAttributes = r.uint32(end);
        break;
      case 0x5a: // events = 11
        events.push(readEvent(r, r.lengthEnd(end)));
        break;
      case 0x60: // dropped_events_count = 12
        droppedEvents = r.uint32(end);
        break;
      case 0x6a: // links = 13
        links.push(readLink(r, r.lengthEnd(end), ids));
        break;
      case 0x70: // dropped_links_count = 14
        droppedLinks = r.uint32(end);
        break;
      case 0x7a: // status = 15
        status = readStatus(r, r.lengthEnd(end));
        break;
      case 0x85: // flags = 16, fixed32 (a two-byte tag: 0x85 0x01)
        flags = r.fixed32(end);
        break;
      default: // fields newer than this decoder
        r.skip(tag, end);
    }
  }
  r.expectEnd(end);
  return {
    traceId,
    spanId,
    parentSpanId,
    name,
    kind,
    startTime,
    endTime,
    status,
    service: '',
    attributes,
    events,
    links,
    resource: PLACEHOLDER_RESOURCE,
    scope: PLACEHOLDER_SCOPE,
    traceState,
    flags: flags || undefined,
    droppedAttributesCount: droppedAttributes || undefined,
    droppedEventsCount: droppedEvents || undefined,
    droppedLinksCount: droppedLinks || undefined,
  };
}

/** `Span.Event`: time_unix_nano = 1, name = 2, attributes = 3 (its dropped count is skipped). */
function readEvent(r: ProtobufReader, end: number): SpanEvent {
  let time = 0;
  let name = '';
  const attributes: Attributes = {};
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === 0x09) time = r.unixNanos(end);
    else if (tag === 0x12) name = r.string(end);
    else if (tag === 0x1a) readKeyValue(r, r.lengthEnd(end), attributes, 0);
    else r.skip(tag, end);
  }
  r.expectEnd(end);
  return { time, name, attributes };
}

/**
 * `Span.Link`: trace_id = 1, span_id = 2, attributes = 4 (trace state, dropped count and flags are
 * skipped).
 */
function readLink(r: ProtobufReader, end: number, ids: IdCaches): SpanLink {
  let traceId = '';
  let spanId = '';
  const attributes: Attributes = {};
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === 0x0a) traceId = r.hexId(end, ids.linkTraceId);
    else if (tag === 0x12) spanId = r.hexId(end, ids.linkSpanId);
    else if (tag === 0x22) readKeyValue(r, r.lengthEnd(end), attributes, 0);
    else r.skip(tag, end);
  }
  r.expectEnd(end);
  return { traceId, spanId, attributes };
}

/** `Status`: message = 2, code = 3 (1 is the long-deprecated code, skipped). */
function readStatus(r: ProtobufReader, end: number): UncheckedSpan['status'] {
  let code = 0;
  let message: string | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === 0x18)
      code = r.int32(end); // an enum, kept when OTLP does not define it
    else if (tag === 0x12) message = r.string(end) || undefined;
    else r.skip(tag, end);
  }
  r.expectEnd(end);
  return { code, message };
}

/** `KeyValue`: key = 1, value = 2; set on `into`. */
function readKeyValue(r: ProtobufReader, end: number, into: Attributes, depth: number): void {
  let key = '';
  let value: AttributeValue = null;
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === 0x0a) key = r.string(end);
    else if (tag === 0x12) value = readAnyValue(r, r.lengthEnd(end), depth);
    else r.skip(tag, end);
  }
  r.expectEnd(end);
  setAttribute(into, key, value);
}

/** `AnyValue`, a oneof (the last member present wins; none is null). */
function readAnyValue(r: ProtobufReader, end: number, depth: number): AttributeValue {
  let value: AttributeValue = null;
  while (r.pos < end) {
    const tag = r.varint(end);
    switch (tag) {
      case 0x0a: // string_value = 1
        value = r.string(end);
        break;
      case 0x10: // bool_value = 2
        value = r.varint(end) !== 0;
        break;
      case 0x18: // int_value = 3
        value = r.int64(end);
        break;
      case 0x21: // double_value = 4
        value = r.double(end);
        break;
      case 0x2a: // array_value = 5: ArrayValue { values = 1 }
        value = readArrayValue(r, r.lengthEnd(end), depth + 1);
        break;
      case 0x32: // kvlist_value = 6: KeyValueList { values = 1 }
        value = readKeyValueList(r, r.lengthEnd(end), depth + 1);
        break;
      case 0x3a: // bytes_value = 7
        value = r.base64(end);
        break;
      default:
        r.skip(tag, end);
    }
  }
  r.expectEnd(end);
  return value;
}

function readArrayValue(r: ProtobufReader, end: number, depth: number): AttributeValue[] {
  if (depth > MAX_VALUE_DEPTH) throw tooDeep(r.pos);
  const values: AttributeValue[] = [];
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === 0x0a) values.push(readAnyValue(r, r.lengthEnd(end), depth));
    else r.skip(tag, end);
  }
  r.expectEnd(end);
  return values;
}

function readKeyValueList(r: ProtobufReader, end: number, depth: number): Attributes {
  if (depth > MAX_VALUE_DEPTH) throw tooDeep(r.pos);
  const values: Attributes = {};
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === 0x0a) readKeyValue(r, r.lengthEnd(end), values, depth);
    else r.skip(tag, end);
  }
  r.expectEnd(end);
  return values;
}

function tooDeep(pos: number): OtlpDecodeError {
  return new OtlpDecodeError(
    `attribute value nested deeper than ${MAX_VALUE_DEPTH} levels at byte ${pos}`,
  );
}
