import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { FinishedLink, FinishedSpan, TimedEvent } from '@spanlite/core';
import { groupSpans, type ScopeGroup } from './group-spans';
import { ProtobufWriter } from './protobuf-writer';
import { spanFlags } from './span-flags';

// Tags: (field number << 3) | wire type, wire types 0 varint, 1 fixed64, 2 length, 5 fixed32.
// Field numbers are those of opentelemetry/proto/trace/v1/trace.proto and common/v1/common.proto.

let sharedWriter: ProtobufWriter | undefined;

/**
 * Encodes finished spans as an OTLP `ExportTraceServiceRequest` in protobuf's binary format.
 * The returned bytes are the caller's; the working buffer is reused across calls.
 */
export function encodeProtobufTraceRequest(spans: readonly FinishedSpan[]): Uint8Array {
  const w = sharedWriter ?? (sharedWriter = new ProtobufWriter());
  w.reset();
  writeTraceRequest(w, spans);
  return w.finish();
}

export function writeTraceRequest(w: ProtobufWriter, spans: readonly FinishedSpan[]): void {
  const groups = groupSpans(spans);
  for (let r = 0; r < groups.length; r++) {
    const { resource, scopes } = groups[r]!;
    w.byte(0x0a); // ExportTraceServiceRequest.resource_spans = 1
    const resourceSpans = w.beginHuge();
    w.byte(0x0a); // ResourceSpans.resource = 1
    const resourceMark = w.begin();
    writeAttributes(w, 0x0a, resource.attributes); // Resource.attributes = 1
    w.end(resourceMark);
    for (let s = 0; s < scopes.length; s++) writeScopeSpans(w, scopes[s]!);
    if (resource.schemaUrl) {
      w.byte(0x1a); // ResourceSpans.schema_url = 3
      w.string(resource.schemaUrl);
    }
    w.endHuge(resourceSpans);
  }
}

function writeScopeSpans(w: ProtobufWriter, group: ScopeGroup): void {
  const { scope, spans } = group;
  w.byte(0x12); // ResourceSpans.scope_spans = 2
  const mark = w.beginHuge();
  w.byte(0x0a); // ScopeSpans.scope = 1
  const scopeMark = w.begin();
  if (scope.name) {
    w.byte(0x0a); // InstrumentationScope.name = 1
    w.string(scope.name);
  }
  if (scope.version) {
    w.byte(0x12); // InstrumentationScope.version = 2
    w.string(scope.version);
  }
  w.end(scopeMark);
  for (let i = 0; i < spans.length; i++) writeSpan(w, spans[i]!);
  if (scope.schemaUrl) {
    w.byte(0x1a); // ScopeSpans.schema_url = 3
    w.string(scope.schemaUrl);
  }
  w.endHuge(mark);
}

function writeSpan(w: ProtobufWriter, span: FinishedSpan): void {
  w.byte(0x12); // ScopeSpans.spans = 2
  const mark = w.beginLarge();
  const context = span.spanContext();
  w.byte(0x0a); // trace_id = 1
  w.traceId(context.traceId);
  w.byte(0x12); // span_id = 2
  w.hexBytes(context.spanId);
  const traceState = context.traceState?.serialize();
  if (traceState) {
    w.byte(0x1a); // trace_state = 3
    w.string(traceState);
  }
  const parent = span.parentSpanContext;
  if (parent?.spanId) {
    w.byte(0x22); // parent_span_id = 4
    w.parentSpanId(parent.spanId);
  }
  writeNameAndKind(w, span.name, span.kind + 1);
  const startTime = span.startTime;
  w.taggedHrTime(0x39, startTime[0], startTime[1]); // start_time_unix_nano = 7
  const endTime = span.endTime;
  w.taggedHrTime(0x41, endTime[0], endTime[1]); // end_time_unix_nano = 8
  writeAttributes(w, 0x4a, span.attributes); // attributes = 9
  if (span.droppedAttributesCount > 0) {
    w.byte(0x50); // dropped_attributes_count = 10
    w.uint32(span.droppedAttributesCount);
  }
  const events = span.events;
  for (let i = 0; i < events.length; i++) writeEvent(w, events[i]!);
  if (span.droppedEventsCount > 0) {
    w.byte(0x60); // dropped_events_count = 12
    w.uint32(span.droppedEventsCount);
  }
  const links = span.links;
  for (let i = 0; i < links.length; i++) writeLink(w, links[i]!);
  if (span.droppedLinksCount > 0) {
    w.byte(0x70); // dropped_links_count = 14
    w.uint32(span.droppedLinksCount);
  }
  const status = span.status;
  if (status.code !== 0 || status.message) {
    w.byte(0x7a); // status = 15
    const statusMark = w.begin();
    if (status.message) {
      w.byte(0x12); // Status.message = 2
      w.string(status.message);
    }
    if (status.code !== 0) {
      w.byte(0x18); // Status.code = 3
      w.uint32(status.code);
    }
    w.end(statusMark);
  }
  w.byte(0x85); // flags = 16, fixed32: the tag takes two bytes
  w.byte(0x01);
  w.fixed32(spanFlags(context.traceFlags, parent?.isRemote));
  w.endLarge(mark);
}

/**
 * The name and kind fields. Span names are low-cardinality (the specification asks for it) and a
 * name comes with the same kind: a pair written before in this message is copied from there.
 */
function writeNameAndKind(w: ProtobufWriter, name: string, kind: number): void {
  const written = w.lastName.get(name);
  if (written !== undefined && written.kind === kind) {
    w.repeat(written.start, written.end);
    return;
  }
  const start = w.pos;
  w.byte(0x2a); // name = 5
  w.string(name);
  w.byte(0x30); // kind = 6: the API's kinds shifted by one, 0 being UNSPECIFIED
  w.uint32(kind);
  if (written === undefined) {
    const range = { flags: 0, kind, start, end: w.pos, epoch: -1 };
    w.lastName.set(name, range);
    w.recorded(range);
  } else {
    written.kind = kind;
    written.start = start;
    written.end = w.pos;
    w.recorded(written);
  }
}

function writeEvent(w: ProtobufWriter, event: TimedEvent): void {
  w.byte(0x5a); // Span.events = 11
  const mark = w.begin();
  w.byte(0x09); // Event.time_unix_nano = 1
  w.hrTimeFixed64(event.time[0], event.time[1]);
  w.byte(0x12); // Event.name = 2
  w.string(event.name);
  if (event.attributes) writeAttributes(w, 0x1a, event.attributes); // Event.attributes = 3
  if (event.droppedAttributesCount) {
    w.byte(0x20); // Event.dropped_attributes_count = 4
    w.uint32(event.droppedAttributesCount);
  }
  w.end(mark);
}

function writeLink(w: ProtobufWriter, link: FinishedLink): void {
  w.byte(0x6a); // Span.links = 13
  const mark = w.begin();
  const context = link.context;
  w.byte(0x0a); // Link.trace_id = 1
  w.hexBytes(context.traceId);
  w.byte(0x12); // Link.span_id = 2
  w.hexBytes(context.spanId);
  const traceState = context.traceState?.serialize();
  if (traceState) {
    w.byte(0x1a); // Link.trace_state = 3
    w.string(traceState);
  }
  if (link.attributes) writeAttributes(w, 0x22, link.attributes); // Link.attributes = 4
  if (link.droppedAttributesCount) {
    w.byte(0x28); // Link.dropped_attributes_count = 5
    w.uint32(link.droppedAttributesCount);
  }
  w.byte(0x35); // Link.flags = 6, fixed32
  w.fixed32(spanFlags(context.traceFlags, context.isRemote));
  w.end(mark);
}

/**
 * Each attribute as a `KeyValue` in the repeated field whose tag is given. Attribute values
 * repeat across the spans of a batch (a method, a route, a host, a status code): a `KeyValue`
 * with a primitive value equal to the one last written for its key is copied from where that one
 * was written, and repeats whose sources lie side by side (written together for an earlier span)
 * are copied as one run: one native copy instead of encoding each key and value again.
 */
function writeAttributes(w: ProtobufWriter, tag: number, attributes: Attributes): void {
  // The pending run of repeats: source bytes [runStart, runEnd), with their inner tags.
  let runStart = 0;
  let runEnd = -1;
  for (const key in attributes) {
    const value = attributes[key];
    const cache =
      typeof value === 'boolean'
        ? value
          ? w.lastTrueAttribute
          : w.lastFalseAttribute
        : w.lastAttribute;
    const last = typeof value === 'object' ? undefined : cache.get(key);
    if (last !== undefined && last.value === value) {
      if (last.start === runEnd + 1 && w.buf[runEnd] === tag) {
        runEnd = last.end;
        continue;
      }
      if (runEnd >= 0) {
        w.byte(tag);
        w.repeat(runStart, runEnd);
      }
      runStart = last.start;
      runEnd = last.end;
      continue;
    }
    if (runEnd >= 0) {
      w.byte(tag);
      w.repeat(runStart, runEnd);
      runEnd = -1;
    }
    w.byte(tag);
    const start = w.pos;
    writeKeyValue(w, key, value);
    if (typeof value === 'object') continue;
    if (last === undefined) {
      const range = { value, start, end: w.pos, epoch: -1 };
      cache.set(key, range);
      w.recorded(range);
    } else {
      last.value = value;
      last.start = start;
      last.end = w.pos;
      w.recorded(last);
    }
  }
  if (runEnd >= 0) {
    w.byte(tag);
    w.repeat(runStart, runEnd);
  }
}

/** A `KeyValue`'s length and body (after its tag). */
function writeKeyValue(w: ProtobufWriter, key: string, value: unknown): void {
  const mark = w.begin();
  w.byte(0x0a); // KeyValue.key = 1
  w.string(key);
  w.byte(0x12); // KeyValue.value = 2
  const valueMark = w.begin();
  writeAnyValue(w, value);
  w.end(valueMark);
  w.end(mark);
}

/** The body of an `AnyValue`: integers as int_value, other numbers as double_value. */
function writeAnyValue(w: ProtobufWriter, value: AttributeValue | unknown): void {
  switch (typeof value) {
    case 'string':
      w.byte(0x0a); // string_value = 1
      w.string(value);
      return;
    case 'number':
      if (Number.isInteger(value)) {
        w.byte(0x18); // int_value = 3
        w.int64(value);
      } else {
        w.byte(0x21); // double_value = 4
        w.double(value);
      }
      return;
    case 'boolean':
      w.byte(0x10); // bool_value = 2
      w.byte(value ? 1 : 0);
      return;
    case 'object': {
      if (value === null) return;
      if (value instanceof Uint8Array) {
        w.byte(0x3a); // bytes_value = 7
        w.bytes(value);
        return;
      }
      if (Array.isArray(value)) {
        w.byte(0x2a); // array_value = 5
        const mark = w.begin();
        for (let i = 0; i < value.length; i++) {
          w.byte(0x0a); // ArrayValue.values = 1
          const itemMark = w.begin();
          writeAnyValue(w, value[i]);
          w.end(itemMark);
        }
        w.end(mark);
        return;
      }
      w.byte(0x32); // kvlist_value = 6
      const mark = w.begin();
      writeAttributes(w, 0x0a, value as Attributes); // KeyValueList.values = 1
      w.end(mark);
      return;
    }
  }
}
