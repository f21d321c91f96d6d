import type { Attributes, HrTime } from '@opentelemetry/api';
import type { FinishedLink, FinishedSpan, TimedEvent } from '@spanlite/core';
import { encodeBase64 } from './base64';
import { groupSpans, type ScopeGroup } from './group-spans';
import { spanFlags } from './span-flags';

/**
 * Encodes finished spans as an OTLP `ExportTraceServiceRequest` in OTLP/JSON: lowerCamelCase
 * field names, trace and span ids as lowercase hex, enums as integers, 64-bit integers (times,
 * int values) as decimal strings, bytes as base64. The JSON text is built by concatenation (one
 * rope, flattened once by the final encode) rather than through an object tree and
 * `JSON.stringify`, which is where the reference serializer spends most of its time.
 */
export function encodeJsonTraceRequest(spans: readonly FinishedSpan[]): Uint8Array {
  const encoder = textEncoder ?? (textEncoder = new TextEncoder());
  return encoder.encode(jsonTraceRequest(spans));
}

let textEncoder: TextEncoder | undefined;

// Most names and values need no escaping; testing for that is cheaper than JSON.stringify
// (measured on the 512-span bench batch). Lone surrogates go to JSON.stringify too.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function quote(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/** The OTLP/JSON text of a request (see `encodeJsonTraceRequest`). */
export function jsonTraceRequest(spans: readonly FinishedSpan[]): string {
  const groups = groupSpans(spans);
  let out = '{"resourceSpans":[';
  for (let r = 0; r < groups.length; r++) {
    const { resource, scopes } = groups[r]!;
    if (r > 0) out += ',';
    out += `{"resource":{"attributes":${attributesJson(resource.attributes)},"droppedAttributesCount":0},"scopeSpans":[`;
    for (let s = 0; s < scopes.length; s++) {
      if (s > 0) out += ',';
      out += scopeSpansJson(scopes[s]!);
    }
    out += ']';
    if (resource.schemaUrl) out += `,"schemaUrl":${quote(resource.schemaUrl)}`;
    out += '}';
  }
  return `${out}]}`;
}

function scopeSpansJson(group: ScopeGroup): string {
  const { scope, spans } = group;
  let out = `{"scope":{"name":${quote(scope.name ?? '')}`;
  if (scope.version) out += `,"version":${quote(scope.version)}`;
  out += '},"spans":[';
  for (let i = 0; i < spans.length; i++) {
    if (i > 0) out += ',';
    out += spanJson(spans[i]!);
  }
  out += ']';
  if (scope.schemaUrl) out += `,"schemaUrl":${quote(scope.schemaUrl)}`;
  return `${out}}`;
}

function spanJson(span: FinishedSpan): string {
  const context = span.spanContext();
  const parent = span.parentSpanContext;
  // Ids are lowercase hex by the FinishedSpan contract and need no escaping.
  let out = `{"traceId":"${context.traceId}","spanId":"${context.spanId}"`;
  const traceState = context.traceState?.serialize();
  if (traceState) out += `,"traceState":${quote(traceState)}`;
  if (parent?.spanId) out += `,"parentSpanId":"${parent.spanId}"`;
  out += `,"flags":${spanFlags(context.traceFlags, parent?.isRemote)},"name":${quote(span.name)},"kind":${span.kind + 1},"startTimeUnixNano":"${hrTimeNanos(span.startTime)}","endTimeUnixNano":"${hrTimeNanos(span.endTime)}","attributes":${attributesJson(span.attributes)}`;
  if (span.droppedAttributesCount > 0) {
    out += `,"droppedAttributesCount":${span.droppedAttributesCount}`;
  }
  const events = span.events;
  if (events.length > 0) {
    out += ',"events":[';
    for (let i = 0; i < events.length; i++) {
      if (i > 0) out += ',';
      out += eventJson(events[i]!);
    }
    out += ']';
  }
  if (span.droppedEventsCount > 0) out += `,"droppedEventsCount":${span.droppedEventsCount}`;
  const links = span.links;
  if (links.length > 0) {
    out += ',"links":[';
    for (let i = 0; i < links.length; i++) {
      if (i > 0) out += ',';
      out += linkJson(links[i]!);
    }
    out += ']';
  }
  if (span.droppedLinksCount > 0) out += `,"droppedLinksCount":${span.droppedLinksCount}`;
  const status = span.status;
  if (status.code !== 0 || status.message) {
    out += ',"status":{';
    if (status.message) out += `"message":${quote(status.message)}`;
    if (status.code !== 0) out += `${status.message ? ',' : ''}"code":${status.code}`;
    out += '}';
  }
  return `${out}}`;
}

function eventJson(event: TimedEvent): string {
  let out = `{"timeUnixNano":"${hrTimeNanos(event.time)}","name":${quote(event.name)}`;
  if (event.attributes) out += `,"attributes":${attributesJson(event.attributes)}`;
  if (event.droppedAttributesCount) {
    out += `,"droppedAttributesCount":${event.droppedAttributesCount}`;
  }
  return `${out}}`;
}

function linkJson(link: FinishedLink): string {
  const context = link.context;
  let out = `{"traceId":"${context.traceId}","spanId":"${context.spanId}"`;
  const traceState = context.traceState?.serialize();
  if (traceState) out += `,"traceState":${quote(traceState)}`;
  if (link.attributes) out += `,"attributes":${attributesJson(link.attributes)}`;
  if (link.droppedAttributesCount) {
    out += `,"droppedAttributesCount":${link.droppedAttributesCount}`;
  }
  return `${out},"flags":${spanFlags(context.traceFlags, context.isRemote)}}`;
}

function attributesJson(attributes: Attributes): string {
  let out = '[';
  let first = true;
  for (const key in attributes) {
    if (first) first = false;
    else out += ',';
    out += `{"key":${quote(key)},"value":${anyValueJson(attributes[key])}}`;
  }
  return `${out}]`;
}

function anyValueJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `{"stringValue":${quote(value)}}`;
    case 'number':
      if (Number.isInteger(value)) return `{"intValue":"${int64String(value)}"}`;
      // Protobuf's JSON mapping spells the non-finite doubles as strings.
      return Number.isFinite(value) ? `{"doubleValue":${value}}` : `{"doubleValue":"${value}"}`;
    case 'boolean':
      return value ? '{"boolValue":true}' : '{"boolValue":false}';
    case 'object': {
      if (value === null) return '{}';
      if (value instanceof Uint8Array) return `{"bytesValue":"${encodeBase64(value)}"}`;
      if (Array.isArray(value)) {
        let out = '{"arrayValue":{"values":[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          out += anyValueJson(value[i]);
        }
        return `${out}]}}`;
      }
      return `{"kvlistValue":{"values":${attributesJson(value as Attributes)}}}`;
    }
    default:
      return '{}';
  }
}

/** An integral number as int64's decimal string (saturating beyond int64, like the protobuf path). */
function int64String(value: number): string {
  if (Number.isSafeInteger(value)) return `${value}`;
  if (Math.abs(value) < 2 ** 63) return BigInt(value).toString();
  return value < 0 ? '-9223372036854775808' : '9223372036854775807';
}

/** Nanoseconds since the epoch as a decimal string, without going through an inexact double. */
export function hrTimeNanos(time: HrTime): string {
  const seconds = time[0];
  const nanos = time[1];
  if (seconds === 0) return `${nanos}`;
  const n = `${nanos}`;
  return `${seconds}${'000000000'.slice(n.length)}${n}`;
}
