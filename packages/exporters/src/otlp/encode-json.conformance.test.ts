// OTLP/JSON against the OTLP specification (opentelemetry-proto docs/specification.md, "JSON
// Protobuf Encoding") and opentelemetry-proto's trace.proto / common.proto (field names, SpanFlags).
import { describe, expect, it } from 'vitest';
import { finishedSpan, hexId, RESOURCE, richSpan, SCOPE } from '../../test/fixtures/finished-spans';
import { encodeJsonTraceRequest } from './encode-json';

type Json = any;

function encode(spans: Parameters<typeof encodeJsonTraceRequest>[0]): Json {
  return JSON.parse(new TextDecoder().decode(encodeJsonTraceRequest(spans)));
}

/** Every object key in the document, at any depth. */
function keysOf(value: Json, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keysOf(item, into);
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      into.add(key);
      // Attribute keys are data, not field names.
      if (key !== 'key') keysOf(inner, into);
    }
  }
  return into;
}

describe('OTLP/JSON: "traceId and spanId ... hex-encoded strings", not base64', () => {
  it('writes span, parent and link ids as lowercase hex of 32 and 16 digits', () => {
    const span = richSpan();
    const out = encode([span]).resourceSpans[0].scopeSpans[0].spans[0];
    expect(out.traceId).toBe(span.spanContext().traceId);
    expect(out.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(out.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(out.parentSpanId).toBe(span.parentSpanContext!.spanId);
    expect(out.links[0].traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(out.links[0].spanId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('leaves parentSpanId out of a root span', () => {
    const out = encode([finishedSpan()]).resourceSpans[0].scopeSpans[0].spans[0];
    expect(out).not.toHaveProperty('parentSpanId');
  });
});

describe('OTLP/JSON: "Values of enum fields MUST be encoded as integer values"', () => {
  it('kind is SpanKind + 1 as a number (INTERNAL 1 ... CONSUMER 5)', () => {
    const kinds = [0, 1, 2, 3, 4].map(
      (kind) => encode([finishedSpan({ kind })]).resourceSpans[0].scopeSpans[0].spans[0].kind,
    );
    expect(kinds).toEqual([1, 2, 3, 4, 5]);
  });

  it('status.code is a number: OK 1, ERROR 2; an unset status is left out', () => {
    const spans = [
      finishedSpan({ status: { code: 1 } }),
      finishedSpan({ status: { code: 2, message: 'boom' } }),
      finishedSpan(),
    ];
    const out = encode(spans).resourceSpans[0].scopeSpans[0].spans;
    expect(out[0].status).toEqual({ code: 1 });
    expect(out[1].status).toEqual({ code: 2, message: 'boom' });
    expect(out[2]).not.toHaveProperty('status');
  });
});

describe('OTLP/JSON: 64-bit integers as decimal strings (Protobuf JSON mapping)', () => {
  it('writes times and intValue as exact decimal strings', () => {
    const span = finishedSpan({
      start: [1_700_000_000, 1],
      end: [1_700_000_001, 999_999_999],
      attributes: { big: 2 ** 53 - 1, neg: -5 },
    });
    const out = encode([span]).resourceSpans[0].scopeSpans[0].spans[0];
    expect(out.startTimeUnixNano).toBe('1700000000000000001');
    expect(out.endTimeUnixNano).toBe('1700000001999999999');
    expect(out.attributes).toEqual([
      { key: 'big', value: { intValue: '9007199254740991' } },
      { key: 'neg', value: { intValue: '-5' } },
    ]);
  });

  it('writes integers beyond int64 (1e21, 2**63) as doubleValue numbers, -(2**63) as intValue', () => {
    const attributes = { big: 1e21, pow63: 2 ** 63, min: -(2 ** 63), below: -(2 ** 64) };
    const text = new TextDecoder().decode(encodeJsonTraceRequest([finishedSpan({ attributes })]));
    expect(text).toContain('{"key":"big","value":{"doubleValue":1e+21}}');
    const out = JSON.parse(text).resourceSpans[0].scopeSpans[0].spans[0];
    expect(out.attributes).toEqual([
      { key: 'big', value: { doubleValue: 1e21 } },
      { key: 'pow63', value: { doubleValue: 2 ** 63 } },
      { key: 'min', value: { intValue: '-9223372036854775808' } },
      { key: 'below', value: { doubleValue: -(2 ** 64) } },
    ]);
  });

  it('writes non-integral numbers as doubleValue numbers', () => {
    const out = encode([finishedSpan({ attributes: { r: 0.25 } })]).resourceSpans[0].scopeSpans[0]
      .spans[0];
    expect(out.attributes[0].value).toEqual({ doubleValue: 0.25 });
  });
});

describe('OTLP/JSON: "The keys of JSON objects are field names converted to lowerCamelCase"', () => {
  it('uses no snake_case field name anywhere', () => {
    const keys = keysOf(encode([richSpan()]));
    for (const key of keys) expect(key).not.toMatch(/_/);
    for (const expected of [
      'resourceSpans',
      'scopeSpans',
      'startTimeUnixNano',
      'endTimeUnixNano',
      'droppedAttributesCount',
      'droppedEventsCount',
      'droppedLinksCount',
      'timeUnixNano',
      'traceState',
      'schemaUrl',
    ]) {
      expect(keys).toContain(expected);
    }
  });

  it('carries the dropped counts of spans, events and links', () => {
    const out = encode([richSpan()]).resourceSpans[0].scopeSpans[0].spans[0];
    expect(out.droppedAttributesCount).toBe(4);
    expect(out.droppedEventsCount).toBe(5);
    expect(out.droppedLinksCount).toBe(6);
    expect(out.events[1].droppedAttributesCount).toBe(3);
    expect(out.links[0].droppedAttributesCount).toBe(2);
  });
});

describe('trace.proto SpanFlags: trace flags in bits 0-7, bit 8 "has is_remote", bit 9 "is_remote"', () => {
  it('span flags say whether the parent was remote; a root span has a known, local parent', () => {
    const traceId = hexId(16);
    const remote = { traceId, spanId: hexId(8), traceFlags: 1, isRemote: true };
    const local = { traceId, spanId: hexId(8), traceFlags: 1, isRemote: false };
    const spans = [
      finishedSpan({ traceId, parent: remote, traceFlags: 1 }),
      finishedSpan({ traceId, parent: local, traceFlags: 1 }),
      finishedSpan({ traceFlags: 0 }),
    ];
    const out = encode(spans).resourceSpans[0].scopeSpans[0].spans;
    expect(out.map((span: Json) => span.flags)).toEqual([0x301, 0x101, 0x100]);
  });

  it('link flags say whether the linked context was remote', () => {
    const out = encode([richSpan()]).resourceSpans[0].scopeSpans[0].spans[0];
    expect(out.links[0].flags).toBe(0x300); // not sampled, remote
    expect(out.links[1].flags).toBe(0x101); // sampled, local
  });
});

describe('ResourceSpans / ScopeSpans grouping', () => {
  it('one ResourceSpans per resource, one ScopeSpans per scope (name, version, schema URL)', () => {
    const other = { attributes: { 'service.name': 'worker' } };
    const scopeB = { name: 'b', version: '2' };
    const spans = [
      finishedSpan({ name: 's1' }),
      finishedSpan({ name: 's2', scope: scopeB }),
      finishedSpan({ name: 's3', resource: other }),
      finishedSpan({ name: 's4', scope: { ...SCOPE } }),
    ];
    const out = encode(spans).resourceSpans;
    expect(out).toHaveLength(2);
    expect(out[0].schemaUrl).toBe(RESOURCE.schemaUrl);
    expect(out[0].resource.attributes).toContainEqual({
      key: 'service.name',
      value: { stringValue: 'checkout' },
    });
    expect(out[0].scopeSpans.map((s: Json) => s.scope)).toEqual([
      { name: SCOPE.name, version: SCOPE.version },
      { name: 'b', version: '2' },
    ]);
    expect(out[0].scopeSpans[0].schemaUrl).toBe(SCOPE.schemaUrl);
    expect(out[0].scopeSpans[0].spans.map((s: Json) => s.name)).toEqual(['s1', 's4']);
    expect(out[1].resource.attributes).toEqual([
      { key: 'service.name', value: { stringValue: 'worker' } },
    ]);
    expect(out[1].scopeSpans[0].spans.map((s: Json) => s.name)).toEqual(['s3']);
  });
});
