import type { Attributes } from '@opentelemetry/api';
import type { FinishedLink, FinishedSpan, TimedEvent } from '@spanlite/core';
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
  readonly attributes = new Map<string, WrittenAttribute>();
  /** Boolean attributes, by value: a flag that flips from span to span still repeats. */
  readonly trueAttributes = new Map<string, WrittenAttribute>();
  readonly falseAttributes = new Map<string, WrittenAttribute>();
  readonly names = new Map<string, WrittenName>();
  /** `{"traceId":"…"` */
  traceId = '';
  traceIdStart = 0;
  traceIdEnd = 0;
  /** `,"parentSpanId":"…"` */
  parentId = '';
  parentIdStart = 0;
  parentIdEnd = 0;
  /** `,"startTimeUnixNano":"` and the seconds' digits */
  startSeconds = -1;
  startStart = 0;
  startEnd = 0;
  /** `,"endTimeUnixNano":"` and the seconds' digits */
  endSeconds = -1;
  endStart = 0;
  endEnd = 0;
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
  w.reset();
  writeJsonTraceRequest(w, spans);
  return w.finish();
}

export function writeJsonTraceRequest(w: JsonWriter, spans: readonly FinishedSpan[]): void {
  const groups = groupSpans(spans);
  const repeats = new Repeats();
  w.raw('{"resourceSpans":[');
  for (let r = 0; r < groups.length; r++) {
    const { resource, scopes } = groups[r]!;
    w.raw(r > 0 ? ',{"resource":{"attributes":' : '{"resource":{"attributes":');
    writeAttributes(w, repeats, resource.attributes);
    w.raw(',"droppedAttributesCount":0},"scopeSpans":[');
    for (let s = 0; s < scopes.length; s++) {
      if (s > 0) w.byte(0x2c); // ,
      writeScopeSpans(w, repeats, scopes[s]!);
    }
    w.byte(0x5d); // ]
    if (resource.schemaUrl) {
      w.raw(',"schemaUrl":');
      w.string(resource.schemaUrl);
    }
    w.byte(0x7d); // }
  }
  w.raw(']}');
}

function writeScopeSpans(w: JsonWriter, repeats: Repeats, group: ScopeGroup): void {
  const { scope, spans } = group;
  w.raw('{"scope":{"name":');
  w.string(scope.name ?? '');
  if (scope.version) {
    w.raw(',"version":');
    w.string(scope.version);
  }
  w.raw('},"spans":[');
  for (let i = 0; i < spans.length; i++) {
    if (i > 0) w.byte(0x2c); // ,
    writeSpan(w, repeats, spans[i]!);
  }
  w.byte(0x5d); // ]
  if (scope.schemaUrl) {
    w.raw(',"schemaUrl":');
    w.string(scope.schemaUrl);
  }
  w.byte(0x7d); // }
}

function writeSpan(w: JsonWriter, repeats: Repeats, span: FinishedSpan): void {
  const context = span.spanContext();
  const parent = span.parentSpanContext;
  const traceId = context.traceId;
  if (traceId === repeats.traceId) {
    w.repeat(repeats.traceIdStart, repeats.traceIdEnd);
  } else {
    repeats.traceIdStart = w.pos;
    w.raw('{"traceId":');
    w.string(traceId);
    repeats.traceIdEnd = w.pos;
    repeats.traceId = traceId;
  }
  w.raw(',"spanId":');
  w.string(context.spanId);
  const traceState = context.traceState?.serialize();
  if (traceState) {
    w.raw(',"traceState":');
    w.string(traceState);
  }
  const parentId = parent?.spanId;
  if (parentId) {
    if (parentId === repeats.parentId) {
      w.repeat(repeats.parentIdStart, repeats.parentIdEnd);
    } else {
      repeats.parentIdStart = w.pos;
      w.raw(',"parentSpanId":');
      w.string(parentId);
      repeats.parentIdEnd = w.pos;
      repeats.parentId = parentId;
    }
  }
  const flags = spanFlags(context.traceFlags, parent?.isRemote);
  const kind = span.kind + 1;
  const name = span.name;
  const written = repeats.names.get(name);
  if (written !== undefined && written.flags === flags && written.kind === kind) {
    w.repeat(written.start, written.end);
  } else {
    const start = w.pos;
    w.raw(',"flags":');
    w.uint(flags);
    w.raw(',"name":');
    w.string(name);
    w.raw(',"kind":');
    w.uint(kind);
    if (written === undefined)
      repeats.names.set(name, { flags, kind, start, end: w.pos, epoch: 0 });
    else {
      written.flags = flags;
      written.kind = kind;
      written.start = start;
      written.end = w.pos;
    }
  }
  const startTime = span.startTime;
  const endTime = span.endTime;
  if (startTime[0] === repeats.startSeconds && isNanos(startTime[1])) {
    w.repeat(repeats.startStart, repeats.startEnd);
    w.nineDigits(startTime[1]);
    w.byte(0x22); // "
  } else {
    const start = w.pos;
    w.raw(',"startTimeUnixNano":');
    if (writeTime(w, startTime[0], startTime[1])) {
      repeats.startSeconds = startTime[0];
      repeats.startStart = start;
      repeats.startEnd = w.pos - 10;
    }
  }
  if (endTime[0] === repeats.endSeconds && isNanos(endTime[1])) {
    w.repeat(repeats.endStart, repeats.endEnd);
    w.nineDigits(endTime[1]);
    w.byte(0x22); // "
  } else {
    const start = w.pos;
    w.raw(',"endTimeUnixNano":');
    if (writeTime(w, endTime[0], endTime[1])) {
      repeats.endSeconds = endTime[0];
      repeats.endStart = start;
      repeats.endEnd = w.pos - 10;
    }
  }
  w.raw(',"attributes":');
  writeAttributes(w, repeats, span.attributes);
  if (span.droppedAttributesCount > 0) {
    w.raw(',"droppedAttributesCount":');
    w.uint(span.droppedAttributesCount);
  }
  const events = span.events;
  if (events.length > 0) {
    w.raw(',"events":[');
    for (let i = 0; i < events.length; i++) {
      if (i > 0) w.byte(0x2c); // ,
      writeEvent(w, repeats, events[i]!);
    }
    w.byte(0x5d); // ]
  }
  if (span.droppedEventsCount > 0) {
    w.raw(',"droppedEventsCount":');
    w.uint(span.droppedEventsCount);
  }
  const links = span.links;
  if (links.length > 0) {
    w.raw(',"links":[');
    for (let i = 0; i < links.length; i++) {
      if (i > 0) w.byte(0x2c); // ,
      writeLink(w, repeats, links[i]!);
    }
    w.byte(0x5d); // ]
  }
  if (span.droppedLinksCount > 0) {
    w.raw(',"droppedLinksCount":');
    w.uint(span.droppedLinksCount);
  }
  const status = span.status;
  if (status.code !== 0 || status.message) {
    w.raw(',"status":{');
    if (status.message) {
      w.raw('"message":');
      w.string(status.message);
    }
    if (status.code !== 0) {
      w.raw(status.message ? ',"code":' : '"code":');
      w.uint(status.code);
    }
    w.byte(0x7d); // }
  }
  w.byte(0x7d); // }
}

function isNanos(value: number): boolean {
  return value >= 0 && value < 1e9 && Number.isInteger(value);
}

/**
 * A time as a quoted decimal string; whether it ended with the seconds' digits followed by nine
 * of nanoseconds and the closing quote, so that what precedes the nanoseconds can be reused.
 */
function writeTime(w: JsonWriter, seconds: number, nanos: number): boolean {
  const at = w.pos;
  w.hrTime(seconds, nanos);
  return seconds > 0 && isNanos(nanos) && w.pos - at === 11 + digitCount(seconds);
}

function writeEvent(w: JsonWriter, repeats: Repeats, event: TimedEvent): void {
  w.raw('{"timeUnixNano":');
  w.hrTime(event.time[0], event.time[1]);
  w.raw(',"name":');
  w.string(event.name);
  if (event.attributes) {
    w.raw(',"attributes":');
    writeAttributes(w, repeats, event.attributes);
  }
  if (event.droppedAttributesCount) {
    w.raw(',"droppedAttributesCount":');
    w.uint(event.droppedAttributesCount);
  }
  w.byte(0x7d); // }
}

function writeLink(w: JsonWriter, repeats: Repeats, link: FinishedLink): void {
  const context = link.context;
  w.raw('{"traceId":');
  w.string(context.traceId);
  w.raw(',"spanId":');
  w.string(context.spanId);
  const traceState = context.traceState?.serialize();
  if (traceState) {
    w.raw(',"traceState":');
    w.string(traceState);
  }
  if (link.attributes) {
    w.raw(',"attributes":');
    writeAttributes(w, repeats, link.attributes);
  }
  if (link.droppedAttributesCount) {
    w.raw(',"droppedAttributesCount":');
    w.uint(link.droppedAttributesCount);
  }
  w.raw(',"flags":');
  w.uint(spanFlags(context.traceFlags, context.isRemote));
  w.byte(0x7d); // }
}

/**
 * The attributes as a JSON array of `KeyValue`s. Attribute values repeat across the spans of a
 * batch (a method, a route, a host, a status code): a `KeyValue` with a primitive value equal to
 * the one last written for its key is copied from where that one was written, and repeats whose
 * sources lie side by side (written together for an earlier span) are copied as one run: one
 * native copy instead of a per-character loop for each.
 */
function writeAttributes(w: JsonWriter, repeats: Repeats, attributes: Attributes): void {
  w.byte(0x5b); // [
  let count = 0;
  // The pending run of repeats: source bytes [runStart, runEnd), with their inner commas.
  let runStart = 0;
  let runEnd = -1;
  for (const key in attributes) {
    const value = attributes[key];
    const cache =
      typeof value === 'boolean'
        ? value
          ? repeats.trueAttributes
          : repeats.falseAttributes
        : repeats.attributes;
    const last = typeof value === 'object' ? undefined : cache.get(key);
    if (last !== undefined && last.value === value) {
      if (last.start === runEnd + 1 && w.buf[runEnd] === 0x2c) {
        runEnd = last.end;
        continue;
      }
      if (runEnd >= 0) {
        if (count++ > 0) w.byte(0x2c); // ,
        w.repeat(runStart, runEnd);
      }
      runStart = last.start;
      runEnd = last.end;
      continue;
    }
    if (runEnd >= 0) {
      if (count++ > 0) w.byte(0x2c); // ,
      w.repeat(runStart, runEnd);
      runEnd = -1;
    }
    if (count++ > 0) w.byte(0x2c); // ,
    const start = w.pos;
    w.raw('{"key":');
    w.string(key);
    w.raw(',"value":');
    writeAnyValue(w, repeats, value);
    w.byte(0x7d); // }
    if (typeof value === 'object') continue;
    if (last === undefined) cache.set(key, { value, start, end: w.pos, epoch: 0 });
    else {
      last.value = value;
      last.start = start;
      last.end = w.pos;
    }
  }
  if (runEnd >= 0) {
    if (count > 0) w.byte(0x2c); // ,
    w.repeat(runStart, runEnd);
  }
  w.byte(0x5d); // ]
}

function writeAnyValue(w: JsonWriter, repeats: Repeats, value: unknown): void {
  switch (typeof value) {
    case 'string':
      w.raw('{"stringValue":');
      w.string(value);
      w.byte(0x7d); // }
      return;
    case 'number':
      if (Number.isInteger(value)) {
        w.raw('{"intValue":"');
        if (value >= 0 && value <= Number.MAX_SAFE_INTEGER) w.uint(value);
        else w.raw(int64String(value));
        w.raw('"}');
      } else if (Number.isFinite(value)) {
        w.raw('{"doubleValue":');
        w.raw(`${value}`);
        w.byte(0x7d); // }
      } else {
        // Protobuf's JSON mapping spells the non-finite doubles as strings.
        w.raw(`{"doubleValue":"${value}"}`);
      }
      return;
    case 'boolean':
      w.raw(value ? '{"boolValue":true}' : '{"boolValue":false}');
      return;
    case 'object': {
      if (value === null) {
        w.raw('{}');
        return;
      }
      if (value instanceof Uint8Array) {
        w.raw('{"bytesValue":"');
        w.raw(encodeBase64(value));
        w.raw('"}');
        return;
      }
      if (Array.isArray(value)) {
        w.raw('{"arrayValue":{"values":[');
        for (let i = 0; i < value.length; i++) {
          if (i > 0) w.byte(0x2c); // ,
          writeAnyValue(w, repeats, value[i]);
        }
        w.raw(']}}');
        return;
      }
      w.raw('{"kvlistValue":{"values":');
      writeAttributes(w, repeats, value as Attributes);
      w.raw('}}');
      return;
    }
    default:
      w.raw('{}');
  }
}

/** An integral number as int64's decimal string (saturating beyond int64, like the protobuf path). */
function int64String(value: number): string {
  if (Number.isSafeInteger(value)) return `${value}`;
  if (Math.abs(value) < 2 ** 63) return BigInt(value).toString();
  return value < 0 ? '-9223372036854775808' : '9223372036854775807';
}
