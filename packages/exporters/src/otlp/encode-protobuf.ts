import type { Attributes, AttributeValue } from '@opentelemetry/api';
import {
  type FinishedLink,
  type FinishedSpan,
  serializeTraceState,
  type TimedEvent,
} from '@spanlite/core';
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
  w._reset();
  writeTraceRequest(w, spans);
  return w._finish();
}

export function writeTraceRequest(w: ProtobufWriter, spans: readonly FinishedSpan[]): void {
  const groups = groupSpans(spans);
  for (let r = 0; r < groups.length; r++) {
    const { resource, scopes } = groups[r]!;
    w._byte(0x0a); // ExportTraceServiceRequest.resource_spans = 1
    const resourceSpans = w._beginHuge();
    w._byte(0x0a); // ResourceSpans.resource = 1
    const resourceMark = w._begin();
    writeAttributes(w, 0x0a, resource.attributes); // Resource.attributes = 1
    w._end(resourceMark);
    for (let s = 0; s < scopes.length; s++) writeScopeSpans(w, scopes[s]!);
    if (resource.schemaUrl) {
      w._byte(0x1a); // ResourceSpans.schema_url = 3
      w._string(resource.schemaUrl);
    }
    w._endHuge(resourceSpans);
  }
}

function writeScopeSpans(w: ProtobufWriter, group: ScopeGroup): void {
  const { scope, spans } = group;
  w._byte(0x12); // ResourceSpans.scope_spans = 2
  const mark = w._beginHuge();
  w._byte(0x0a); // ScopeSpans.scope = 1
  const scopeMark = w._begin();
  if (scope.name) {
    w._byte(0x0a); // InstrumentationScope.name = 1
    w._string(scope.name);
  }
  if (scope.version) {
    w._byte(0x12); // InstrumentationScope.version = 2
    w._string(scope.version);
  }
  if (scope.attributes !== undefined) writeAttributes(w, 0x1a, scope.attributes); // attributes = 3
  w._end(scopeMark);
  for (let i = 0; i < spans.length; i++) writeSpan(w, spans[i]!);
  if (scope.schemaUrl) {
    w._byte(0x1a); // ScopeSpans.schema_url = 3
    w._string(scope.schemaUrl);
  }
  w._endHuge(mark);
}

function writeSpan(w: ProtobufWriter, span: FinishedSpan): void {
  w._byte(0x12); // ScopeSpans.spans = 2
  const mark = w._beginLarge();
  const context = span.spanContext();
  w._byte(0x0a); // trace_id = 1
  w._traceId(context.traceId);
  w._byte(0x12); // span_id = 2
  w._hexBytes(context.spanId);
  const traceState = serializeTraceState(context.traceState);
  if (traceState) {
    w._byte(0x1a); // trace_state = 3
    w._string(traceState);
  }
  const parent = span.parentSpanContext;
  if (parent?.spanId) {
    w._byte(0x22); // parent_span_id = 4
    w._parentSpanId(parent.spanId);
  }
  writeNameAndKind(w, span.name, span.kind + 1);
  const startTime = span.startTime;
  w._taggedHrTime(0x39, startTime[0], startTime[1]); // start_time_unix_nano = 7
  const endTime = span.endTime;
  w._taggedHrTime(0x41, endTime[0], endTime[1]); // end_time_unix_nano = 8
  writeAttributes(w, 0x4a, span.attributes); // attributes = 9
  if (span.droppedAttributesCount > 0) {
    w._byte(0x50); // dropped_attributes_count = 10
    w._uint32(span.droppedAttributesCount);
  }
  const events = span.events;
  for (let i = 0; i < events.length; i++) writeEvent(w, events[i]!);
  if (span.droppedEventsCount > 0) {
    w._byte(0x60); // dropped_events_count = 12
    w._uint32(span.droppedEventsCount);
  }
  const links = span.links;
  for (let i = 0; i < links.length; i++) writeLink(w, links[i]!);
  if (span.droppedLinksCount > 0) {
    w._byte(0x70); // dropped_links_count = 14
    w._uint32(span.droppedLinksCount);
  }
  const status = span.status;
  if (status.code !== 0 || status.message) {
    w._byte(0x7a); // status = 15
    const statusMark = w._begin();
    if (status.message) {
      w._byte(0x12); // Status.message = 2
      w._string(status.message);
    }
    if (status.code !== 0) {
      w._byte(0x18); // Status.code = 3
      w._uint32(status.code);
    }
    w._end(statusMark);
  }
  w._byte(0x85); // flags = 16, fixed32: the tag takes two bytes
  w._byte(0x01);
  w._fixed32(spanFlags(context.traceFlags, parent?.isRemote));
  w._endLarge(mark);
}

/**
 * The name and kind fields. Span names are low-cardinality (the specification asks for it) and a
 * name comes with the same kind: a pair written before in this message is copied from there.
 */
function writeNameAndKind(w: ProtobufWriter, name: string, kind: number): void {
  const written = w._lastName.get(name);
  if (written !== undefined && written.kind === kind) {
    w._repeat(written.start, written.end);
    return;
  }
  const start = w._pos;
  w._byte(0x2a); // name = 5
  w._string(name);
  w._byte(0x30); // kind = 6: the API's kinds shifted by one, 0 being UNSPECIFIED
  w._uint32(kind);
  if (written === undefined) {
    const range = { flags: 0, kind, start, end: w._pos, epoch: -1 };
    w._lastName.set(name, range);
    w._recorded(range);
  } else {
    written.kind = kind;
    written.start = start;
    written.end = w._pos;
    w._recorded(written);
  }
}

function writeEvent(w: ProtobufWriter, event: TimedEvent): void {
  w._byte(0x5a); // Span.events = 11
  const mark = w._begin();
  w._byte(0x09); // Event.time_unix_nano = 1
  w._hrTimeFixed64(event.time[0], event.time[1]);
  w._byte(0x12); // Event.name = 2
  w._string(event.name);
  if (event.attributes) writeAttributes(w, 0x1a, event.attributes); // Event.attributes = 3
  if (event.droppedAttributesCount) {
    w._byte(0x20); // Event.dropped_attributes_count = 4
    w._uint32(event.droppedAttributesCount);
  }
  w._end(mark);
}

function writeLink(w: ProtobufWriter, link: FinishedLink): void {
  w._byte(0x6a); // Span.links = 13
  const mark = w._begin();
  const context = link.context;
  w._byte(0x0a); // Link.trace_id = 1
  w._hexBytes(context.traceId);
  w._byte(0x12); // Link.span_id = 2
  w._hexBytes(context.spanId);
  const traceState = serializeTraceState(context.traceState);
  if (traceState) {
    w._byte(0x1a); // Link.trace_state = 3
    w._string(traceState);
  }
  if (link.attributes) writeAttributes(w, 0x22, link.attributes); // Link.attributes = 4
  if (link.droppedAttributesCount) {
    w._byte(0x28); // Link.dropped_attributes_count = 5
    w._uint32(link.droppedAttributesCount);
  }
  w._byte(0x35); // Link.flags = 6, fixed32
  w._fixed32(spanFlags(context.traceFlags, context.isRemote));
  w._end(mark);
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
          ? w._lastTrueAttribute
          : w._lastFalseAttribute
        : w._lastAttribute;
    const last = typeof value === 'object' ? undefined : cache.get(key);
    if (last !== undefined && last.value === value) {
      if (last.start === runEnd + 1 && w._buf[runEnd] === tag) {
        runEnd = last.end;
        continue;
      }
      if (runEnd >= 0) {
        w._byte(tag);
        w._repeat(runStart, runEnd);
      }
      runStart = last.start;
      runEnd = last.end;
      continue;
    }
    if (runEnd >= 0) {
      w._byte(tag);
      w._repeat(runStart, runEnd);
      runEnd = -1;
    }
    w._byte(tag);
    const start = w._pos;
    writeKeyValue(w, key, value);
    if (typeof value === 'object') continue;
    if (last === undefined) {
      const range = { value, start, end: w._pos, epoch: -1 };
      cache.set(key, range);
      w._recorded(range);
    } else {
      last.value = value;
      last.start = start;
      last.end = w._pos;
      w._recorded(last);
    }
  }
  if (runEnd >= 0) {
    w._byte(tag);
    w._repeat(runStart, runEnd);
  }
}

/** A `KeyValue`'s length and body (after its tag). */
function writeKeyValue(w: ProtobufWriter, key: string, value: unknown): void {
  const mark = w._begin();
  w._byte(0x0a); // KeyValue.key = 1
  w._string(key);
  w._byte(0x12); // KeyValue.value = 2
  const valueMark = w._begin();
  writeAnyValue(w, value);
  w._end(valueMark);
  w._end(mark);
}

/** The body of an `AnyValue`: integers int64 holds as int_value, other numbers as double_value. */
function writeAnyValue(w: ProtobufWriter, value: AttributeValue | unknown): void {
  switch (typeof value) {
    case 'string':
      w._byte(0x0a); // string_value = 1
      w._string(value);
      return;
    case 'number':
      // A larger integer (1e21, 2**63) is a double, as it is in JavaScript: saturated to an
      // int64 it would be another number.
      if (Number.isInteger(value) && value >= -0x8000000000000000 && value < 0x8000000000000000) {
        w._byte(0x18); // int_value = 3
        w._int64(value);
      } else {
        w._byte(0x21); // double_value = 4
        w._double(value);
      }
      return;
    case 'boolean':
      w._byte(0x10); // bool_value = 2
      w._byte(value ? 1 : 0);
      return;
    case 'object': {
      if (value === null) return;
      if (value instanceof Uint8Array) {
        w._byte(0x3a); // bytes_value = 7
        w._bytes(value);
        return;
      }
      if (Array.isArray(value)) {
        w._byte(0x2a); // array_value = 5
        const mark = w._begin();
        for (let i = 0; i < value.length; i++) {
          w._byte(0x0a); // ArrayValue.values = 1
          const itemMark = w._begin();
          writeAnyValue(w, value[i]);
          w._end(itemMark);
        }
        w._end(mark);
        return;
      }
      w._byte(0x32); // kvlist_value = 6
      const mark = w._begin();
      writeAttributes(w, 0x0a, value as Attributes); // KeyValueList.values = 1
      w._end(mark);
      return;
    }
  }
}
