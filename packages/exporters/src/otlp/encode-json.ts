import type { Attributes } from '@opentelemetry/api';
import {
  type FinishedLink,
  type FinishedSpan,
  serializeTraceState,
  type TimedEvent,
} from '@spanlite/core';
import { encodeBase64 } from './base64';
import { groupSpans, type ScopeGroup } from './group-spans';
import { digitCount, JsonWriter } from './json-writer';
import { spanFlags } from './span-flags';
import type { WrittenAttribute, WrittenName } from './written-attribute';

let sharedWriter: JsonWriter | undefined;

/**
 * What one message has written that later spans are likely to repeat, and where: the bytes are
 * copied (one native copy) instead of being written again a character at a time, which is where
 * the encoder spends its time. Spans of a trace share the trace id and sit together in a batch
 * (it is in order of ending); siblings share the parent id; span names are low-cardinality (the
 * specification asks for it) and come with the same flags and kind; times fall in a few seconds;
 * attribute values repeat (a method, a route, a host, a status code).
 */
class Repeats {
  readonly _attributes = new Map<string, WrittenAttribute>();
  /** Boolean attributes, by value: a flag that flips from span to span still repeats. */
  readonly _trueAttributes = new Map<string, WrittenAttribute>();
  readonly _falseAttributes = new Map<string, WrittenAttribute>();
  readonly _names = new Map<string, WrittenName>();
  /** `{"traceId":"…"` */
  _traceId = '';
  _traceIdStart = 0;
  _traceIdEnd = 0;
  /** `,"parentSpanId":"…"` */
  _parentId = '';
  _parentIdStart = 0;
  _parentIdEnd = 0;
  /** `,"startTimeUnixNano":"` and the seconds' digits */
  _startSeconds = -1;
  _startStart = 0;
  _startEnd = 0;
  /** `,"endTimeUnixNano":"` and the seconds' digits */
  _endSeconds = -1;
  _endStart = 0;
  _endEnd = 0;
}

/**
 * Encodes finished spans as an OTLP `ExportTraceServiceRequest` in OTLP/JSON: lowerCamelCase
 * field names, trace and span ids as lowercase hex, enums as integers, 64-bit integers (times,
 * int values) as decimal strings, bytes as base64. The UTF-8 bytes are written directly (see
 * `JsonWriter`), not built as a string or an object tree for `JSON.stringify`, which is where the
 * reference serializer spends most of its time. The returned bytes are the caller's; the working
 * buffer is reused across calls.
 */
export function encodeJsonTraceRequest(spans: readonly FinishedSpan[]): Uint8Array {
  const w = sharedWriter ?? (sharedWriter = new JsonWriter());
  w._reset();
  writeJsonTraceRequest(w, spans);
  return w._finish();
}

export function writeJsonTraceRequest(w: JsonWriter, spans: readonly FinishedSpan[]): void {
  const groups = groupSpans(spans);
  const repeats = new Repeats();
  w._raw('{"resourceSpans":[');
  for (let r = 0; r < groups.length; r++) {
    const { resource, scopes } = groups[r]!;
    w._raw(r > 0 ? ',{"resource":{"attributes":' : '{"resource":{"attributes":');
    writeAttributes(w, repeats, resource.attributes);
    w._raw(',"droppedAttributesCount":0},"scopeSpans":[');
    for (let s = 0; s < scopes.length; s++) {
      if (s > 0) w._byte(0x2c); // ,
      writeScopeSpans(w, repeats, scopes[s]!);
    }
    w._byte(0x5d); // ]
    if (resource.schemaUrl) {
      w._raw(',"schemaUrl":');
      w._string(resource.schemaUrl);
    }
    w._byte(0x7d); // }
  }
  w._raw(']}');
}

function writeScopeSpans(w: JsonWriter, repeats: Repeats, group: ScopeGroup): void {
  const { scope, spans } = group;
  w._raw('{"scope":{"name":');
  w._string(scope.name ?? '');
  if (scope.version) {
    w._raw(',"version":');
    w._string(scope.version);
  }
  if (scope.attributes !== undefined) {
    w._raw(',"attributes":');
    writeAttributes(w, repeats, scope.attributes);
  }
  w._raw('},"spans":[');
  for (let i = 0; i < spans.length; i++) {
    if (i > 0) w._byte(0x2c); // ,
    writeSpan(w, repeats, spans[i]!);
  }
  w._byte(0x5d); // ]
  if (scope.schemaUrl) {
    w._raw(',"schemaUrl":');
    w._string(scope.schemaUrl);
  }
  w._byte(0x7d); // }
}

function writeSpan(w: JsonWriter, repeats: Repeats, span: FinishedSpan): void {
  const context = span.spanContext();
  const parent = span.parentSpanContext;
  const traceId = context.traceId;
  if (traceId === repeats._traceId) {
    w._repeat(repeats._traceIdStart, repeats._traceIdEnd);
  } else {
    repeats._traceIdStart = w._pos;
    w._raw('{"traceId":');
    w._string(traceId);
    repeats._traceIdEnd = w._pos;
    repeats._traceId = traceId;
  }
  w._raw(',"spanId":');
  w._string(context.spanId);
  const traceState = serializeTraceState(context.traceState);
  if (traceState) {
    w._raw(',"traceState":');
    w._string(traceState);
  }
  const parentId = parent?.spanId;
  if (parentId) {
    if (parentId === repeats._parentId) {
      w._repeat(repeats._parentIdStart, repeats._parentIdEnd);
    } else {
      repeats._parentIdStart = w._pos;
      w._raw(',"parentSpanId":');
      w._string(parentId);
      repeats._parentIdEnd = w._pos;
      repeats._parentId = parentId;
    }
  }
  const flags = spanFlags(context.traceFlags, parent?.isRemote);
  const kind = span.kind + 1;
  const name = span.name;
  const written = repeats._names.get(name);
  if (written !== undefined && written.flags === flags && written.kind === kind) {
    w._repeat(written.start, written.end);
  } else {
    const start = w._pos;
    w._raw(',"flags":');
    w._uint(flags);
    w._raw(',"name":');
    w._string(name);
    w._raw(',"kind":');
    w._uint(kind);
    if (written === undefined)
      repeats._names.set(name, { flags, kind, start, end: w._pos, epoch: 0 });
    else {
      written.flags = flags;
      written.kind = kind;
      written.start = start;
      written.end = w._pos;
    }
  }
  const startTime = span.startTime;
  const endTime = span.endTime;
  if (startTime[0] === repeats._startSeconds && isNanos(startTime[1])) {
    w._repeat(repeats._startStart, repeats._startEnd);
    w._nineDigits(startTime[1]);
    w._byte(0x22); // "
  } else {
    const start = w._pos;
    w._raw(',"startTimeUnixNano":');
    if (writeTime(w, startTime[0], startTime[1])) {
      repeats._startSeconds = startTime[0];
      repeats._startStart = start;
      repeats._startEnd = w._pos - 10;
    }
  }
  if (endTime[0] === repeats._endSeconds && isNanos(endTime[1])) {
    w._repeat(repeats._endStart, repeats._endEnd);
    w._nineDigits(endTime[1]);
    w._byte(0x22); // "
  } else {
    const start = w._pos;
    w._raw(',"endTimeUnixNano":');
    if (writeTime(w, endTime[0], endTime[1])) {
      repeats._endSeconds = endTime[0];
      repeats._endStart = start;
      repeats._endEnd = w._pos - 10;
    }
  }
  w._raw(',"attributes":');
  writeAttributes(w, repeats, span.attributes);
  if (span.droppedAttributesCount > 0) {
    w._raw(',"droppedAttributesCount":');
    w._uint(span.droppedAttributesCount);
  }
  const events = span.events;
  if (events.length > 0) {
    w._raw(',"events":[');
    for (let i = 0; i < events.length; i++) {
      if (i > 0) w._byte(0x2c); // ,
      writeEvent(w, repeats, events[i]!);
    }
    w._byte(0x5d); // ]
  }
  if (span.droppedEventsCount > 0) {
    w._raw(',"droppedEventsCount":');
    w._uint(span.droppedEventsCount);
  }
  const links = span.links;
  if (links.length > 0) {
    w._raw(',"links":[');
    for (let i = 0; i < links.length; i++) {
      if (i > 0) w._byte(0x2c); // ,
      writeLink(w, repeats, links[i]!);
    }
    w._byte(0x5d); // ]
  }
  if (span.droppedLinksCount > 0) {
    w._raw(',"droppedLinksCount":');
    w._uint(span.droppedLinksCount);
  }
  const status = span.status;
  if (status.code !== 0 || status.message) {
    w._raw(',"status":{');
    if (status.message) {
      w._raw('"message":');
      w._string(status.message);
    }
    if (status.code !== 0) {
      w._raw(status.message ? ',"code":' : '"code":');
      w._uint(status.code);
    }
    w._byte(0x7d); // }
  }
  w._byte(0x7d); // }
}

function isNanos(value: number): boolean {
  return value >= 0 && value < 1e9 && Number.isInteger(value);
}

/**
 * A time as a quoted decimal string; whether it ended with the seconds' digits followed by nine
 * of nanoseconds and the closing quote, so that what precedes the nanoseconds can be reused.
 */
function writeTime(w: JsonWriter, seconds: number, nanos: number): boolean {
  const at = w._pos;
  w._hrTime(seconds, nanos);
  return seconds > 0 && isNanos(nanos) && w._pos - at === 11 + digitCount(seconds);
}

function writeEvent(w: JsonWriter, repeats: Repeats, event: TimedEvent): void {
  w._raw('{"timeUnixNano":');
  w._hrTime(event.time[0], event.time[1]);
  w._raw(',"name":');
  w._string(event.name);
  if (event.attributes) {
    w._raw(',"attributes":');
    writeAttributes(w, repeats, event.attributes);
  }
  if (event.droppedAttributesCount) {
    w._raw(',"droppedAttributesCount":');
    w._uint(event.droppedAttributesCount);
  }
  w._byte(0x7d); // }
}

function writeLink(w: JsonWriter, repeats: Repeats, link: FinishedLink): void {
  const context = link.context;
  w._raw('{"traceId":');
  w._string(context.traceId);
  w._raw(',"spanId":');
  w._string(context.spanId);
  const traceState = serializeTraceState(context.traceState);
  if (traceState) {
    w._raw(',"traceState":');
    w._string(traceState);
  }
  if (link.attributes) {
    w._raw(',"attributes":');
    writeAttributes(w, repeats, link.attributes);
  }
  if (link.droppedAttributesCount) {
    w._raw(',"droppedAttributesCount":');
    w._uint(link.droppedAttributesCount);
  }
  w._raw(',"flags":');
  w._uint(spanFlags(context.traceFlags, context.isRemote));
  w._byte(0x7d); // }
}

/**
 * The attributes as a JSON array of `KeyValue`s. Attribute values repeat across the spans of a
 * batch (a method, a route, a host, a status code): a `KeyValue` with a primitive value equal to
 * the one last written for its key is copied from where that one was written, and repeats whose
 * sources lie side by side (written together for an earlier span) are copied as one run: one
 * native copy instead of a per-character loop for each.
 */
function writeAttributes(w: JsonWriter, repeats: Repeats, attributes: Attributes): void {
  w._byte(0x5b); // [
  let count = 0;
  // The pending run of repeats: source bytes [runStart, runEnd), with their inner commas.
  let runStart = 0;
  let runEnd = -1;
  for (const key in attributes) {
    const value = attributes[key];
    const cache =
      typeof value === 'boolean'
        ? value
          ? repeats._trueAttributes
          : repeats._falseAttributes
        : repeats._attributes;
    const last = typeof value === 'object' ? undefined : cache.get(key);
    if (last !== undefined && last.value === value) {
      if (last.start === runEnd + 1 && w._buf[runEnd] === 0x2c) {
        runEnd = last.end;
        continue;
      }
      if (runEnd >= 0) {
        if (count++ > 0) w._byte(0x2c); // ,
        w._repeat(runStart, runEnd);
      }
      runStart = last.start;
      runEnd = last.end;
      continue;
    }
    if (runEnd >= 0) {
      if (count++ > 0) w._byte(0x2c); // ,
      w._repeat(runStart, runEnd);
      runEnd = -1;
    }
    if (count++ > 0) w._byte(0x2c); // ,
    const start = w._pos;
    w._raw('{"key":');
    w._string(key);
    w._raw(',"value":');
    writeAnyValue(w, repeats, value);
    w._byte(0x7d); // }
    if (typeof value === 'object') continue;
    if (last === undefined) cache.set(key, { value, start, end: w._pos, epoch: 0 });
    else {
      last.value = value;
      last.start = start;
      last.end = w._pos;
    }
  }
  if (runEnd >= 0) {
    if (count > 0) w._byte(0x2c); // ,
    w._repeat(runStart, runEnd);
  }
  w._byte(0x5d); // ]
}

function writeAnyValue(w: JsonWriter, repeats: Repeats, value: unknown): void {
  switch (typeof value) {
    case 'string':
      w._raw('{"stringValue":');
      w._string(value);
      w._byte(0x7d); // }
      return;
    case 'number':
      // A larger integer than int64 holds (1e21, 2**63) is a double, as in the protobuf encoding.
      if (Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63) {
        w._raw('{"intValue":"');
        if (value >= 0 && value <= Number.MAX_SAFE_INTEGER) w._uint(value);
        else w._raw(Number.isSafeInteger(value) ? `${value}` : BigInt(value).toString());
        w._raw('"}');
      } else if (Number.isFinite(value)) {
        w._raw('{"doubleValue":');
        w._raw(`${value}`);
        w._byte(0x7d); // }
      } else {
        // Protobuf's JSON mapping spells the non-finite doubles as strings.
        w._raw(`{"doubleValue":"${value}"}`);
      }
      return;
    case 'boolean':
      w._raw(value ? '{"boolValue":true}' : '{"boolValue":false}');
      return;
    case 'object': {
      if (value === null) {
        w._raw('{}');
        return;
      }
      if (value instanceof Uint8Array) {
        w._raw('{"bytesValue":"');
        w._raw(encodeBase64(value));
        w._raw('"}');
        return;
      }
      if (Array.isArray(value)) {
        w._raw('{"arrayValue":{"values":[');
        for (let i = 0; i < value.length; i++) {
          if (i > 0) w._byte(0x2c); // ,
          writeAnyValue(w, repeats, value[i]);
        }
        w._raw(']}}');
        return;
      }
      w._raw('{"kvlistValue":{"values":');
      writeAttributes(w, repeats, value as Attributes);
      w._raw('}}');
      return;
    }
    default:
      w._raw('{}');
  }
}
