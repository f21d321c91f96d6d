import type { Attributes } from '@opentelemetry/api';
import type { TimedEvent } from '@spanlite/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeJsonTraceRequest } from '../src/otlp/encode-json';
import { encodeProtobufTraceRequest } from '../src/otlp/encode-protobuf';
import { canonicalBody, decodeProtobufRequest } from './fixtures/decode-otlp';
import {
  finishedSpan,
  hexId,
  RESOURCE,
  richSpan,
  SCOPE,
  traceState,
} from './fixtures/finished-spans';
import { expectedRequest } from './fixtures/otlp-canonical';

describe('protobuf encoding, decoded by protobufjs', () => {
  it('carries every field of a span that uses them all', () => {
    const spans = [richSpan(), finishedSpan({ name: 'child' })];
    const body = encodeProtobufTraceRequest(spans);
    expect(canonicalBody(body, 'http/protobuf')).toEqual(expectedRequest(spans));
  });

  it('spells out the wire details: ids as bytes, kind shifted by one, span flags bits', () => {
    const span = richSpan();
    const decoded = decodeProtobufRequest(encodeProtobufTraceRequest([span]));
    const out = decoded.resourceSpans[0].scopeSpans[0].spans[0];
    expect(out.traceId).toHaveLength(16);
    expect(out.spanId).toHaveLength(8);
    expect(out.kind).toBe(2); // SERVER
    expect(out.flags).toBe(0x301); // sampled | HAS_IS_REMOTE | IS_REMOTE
    expect(out.links[0].flags).toBe(0x300);
    expect(out.links[1].flags).toBe(0x101);
    expect(out.startTimeUnixNano).toBe('1700000123999999999');
    expect(out.traceState).toBe('vendor=abc,other=x:y');
  });

  it('encodes a link whose trace state cannot serialize itself without one, in both encodings', () => {
    // a link's span context that went through JSON (a queue message) has a plain object there
    const plain = JSON.parse(JSON.stringify(traceState('a=1'))) as never;
    const throwing = {
      serialize: () => {
        throw new Error('boom');
      },
    } as never;
    const link = (state: never) => ({
      context: { traceId: hexId(16), spanId: hexId(8), traceFlags: 1, traceState: state },
      attributes: {},
      droppedAttributesCount: 0,
    });
    const spans = [finishedSpan({ links: [link(plain), link(throwing)] })];
    for (const encode of [encodeProtobufTraceRequest, encodeJsonTraceRequest]) {
      const protocol = encode === encodeJsonTraceRequest ? 'http/json' : 'http/protobuf';
      const out = canonicalBody(encode(spans), protocol).resourceSpans[0].scopeSpans[0].spans[0];
      expect(out.links).toHaveLength(2);
      for (const l of out.links) expect(l.traceState ?? '').toBe('');
    }
  });

  it('groups by resource and then by scope, in order of first appearance', () => {
    const otherResource = { attributes: { 'service.name': 'worker' } };
    const otherScope = { name: 'db' };
    const spans = [
      finishedSpan({ name: 'a' }),
      finishedSpan({ name: 'b', scope: otherScope }),
      finishedSpan({ name: 'c', resource: otherResource }),
      finishedSpan({ name: 'd' }),
      // An equal scope in another object joins the same group.
      finishedSpan({ name: 'e', scope: { ...SCOPE } }),
    ];
    const decoded = canonicalBody(encodeProtobufTraceRequest(spans), 'http/protobuf');
    expect(decoded).toEqual(expectedRequest(spans));
    expect(decoded.resourceSpans).toHaveLength(2);
    expect(
      decoded.resourceSpans[0].scopeSpans.map((s: any) => s.spans.map((x: any) => x.name)),
    ).toEqual([['a', 'd', 'e'], ['b']]);
    expect(decoded.resourceSpans[0].schemaUrl).toBe(RESOURCE.schemaUrl);
  });

  it('sends scope attributes, and keeps scopes that differ only by them apart, in both encodings', () => {
    // common/instrumentation-scope.md: scope attributes; trace.proto InstrumentationScope.attributes
    const withAttributes = { ...SCOPE, attributes: { 'library.tier': 'db', shards: [1, 2] } };
    const reordered = { ...SCOPE, attributes: { shards: [1, 2], 'library.tier': 'db' } };
    const other = { ...SCOPE, attributes: { 'library.tier': 'cache' } };
    const spans = [
      finishedSpan({ name: 'a', scope: withAttributes }),
      finishedSpan({ name: 'b' }),
      finishedSpan({ name: 'c', scope: other }),
      finishedSpan({ name: 'd', scope: reordered }),
    ];
    for (const [body, protocol] of [
      [encodeProtobufTraceRequest(spans), 'http/protobuf'],
      [encodeJsonTraceRequest(spans), 'http/json'],
    ] as const) {
      const decoded = canonicalBody(body, protocol);
      expect(decoded).toEqual(expectedRequest(spans));
      const scopeSpans = decoded.resourceSpans[0].scopeSpans;
      expect(scopeSpans.map((s: any) => s.spans.map((x: any) => x.name))).toEqual([
        ['a', 'd'],
        ['b'],
        ['c'],
      ]);
      expect(scopeSpans[0].scope.attributes).toEqual([
        { key: 'library.tier', value: { stringValue: 'db' } },
        { key: 'shards', value: { arrayValue: [{ intValue: '1' }, { intValue: '2' }] } },
      ]);
    }
  });

  it('sends integers int64 holds as int_value, larger ones (1e21, 2**63) as double_value, in both encodings', () => {
    const attributes = {
      min: -(2 ** 63),
      max: 2 ** 63 - 1024, // the largest double below 2**63
      unsafe: 2 ** 53 + 2,
      pow63: 2 ** 63,
      below: -(2 ** 63) - 2048,
      big: 1e21,
      huge: -Number.MAX_VALUE,
      list: [1e21, 7],
    };
    const expected = [
      { key: 'min', value: { intValue: '-9223372036854775808' } },
      { key: 'max', value: { intValue: '9223372036854774784' } },
      { key: 'unsafe', value: { intValue: '9007199254740994' } },
      { key: 'pow63', value: { doubleValue: 2 ** 63 } },
      { key: 'below', value: { doubleValue: -(2 ** 63) - 2048 } },
      { key: 'big', value: { doubleValue: 1e21 } },
      { key: 'huge', value: { doubleValue: -Number.MAX_VALUE } },
      { key: 'list', value: { arrayValue: [{ doubleValue: 1e21 }, { intValue: '7' }] } },
    ];
    const spans = [finishedSpan({ attributes })];
    const attributesIn = (decoded: any) =>
      decoded.resourceSpans[0].scopeSpans[0].spans[0].attributes;
    const protobuf = decodeProtobufRequest(encodeProtobufTraceRequest(spans));
    // protobufjs's own view of the oneof: which field was on the wire
    expect(attributesIn(protobuf).map((kv: any) => kv.value.value)).toEqual([
      'intValue',
      'intValue',
      'intValue',
      'doubleValue',
      'doubleValue',
      'doubleValue',
      'doubleValue',
      'arrayValue',
    ]);
    expect(attributesIn(canonicalBody(encodeProtobufTraceRequest(spans), 'http/protobuf'))).toEqual(
      expected,
    );
    expect(attributesIn(canonicalBody(encodeJsonTraceRequest(spans), 'http/json'))).toEqual(
      expected,
    );
    expect(canonicalBody(encodeProtobufTraceRequest(spans), 'http/protobuf')).toEqual(
      expectedRequest(spans),
    );
  });

  it('encodes an empty batch as an empty request', () => {
    expect(encodeProtobufTraceRequest([])).toHaveLength(0);
    expect(decodeProtobufRequest(encodeProtobufTraceRequest([]))).toEqual({ resourceSpans: [] });
  });

  it('round-trips arbitrary spans in both encodings (property)', () => {
    const hex = (bytes: number) =>
      fc
        .uint8Array({ minLength: bytes, maxLength: bytes })
        .map((b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(''));
    const scalar = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
      fc.double({ noNaN: true }).filter((d) => !Number.isInteger(d)),
      // integers of any size: within int64 int_value, beyond it double_value
      fc.double({ noNaN: true }).map(Math.trunc),
      fc.boolean(),
    );
    const attributes = fc.dictionary(
      fc.string({ unit: 'binary' }).filter((k) => k !== '__proto__'),
      fc.oneof(scalar, fc.array(fc.string(), { maxLength: 3 })),
      { maxKeys: 6 },
    );
    const time = fc.tuple(
      fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      fc.integer({ min: 0, max: 999_999_999 }),
    );
    const span = fc.record({
      name: fc.string({ unit: 'binary', maxLength: 300 }),
      kind: fc.integer({ min: 0, max: 4 }),
      traceId: hex(16),
      spanId: hex(8),
      traceFlags: fc.integer({ min: 0, max: 255 }),
      parent: fc.option(fc.record({ spanId: hex(8), isRemote: fc.boolean() }), { nil: undefined }),
      start: time,
      end: time,
      attributes,
      status: fc.record({ code: fc.integer({ min: 0, max: 2 }), message: fc.string() }),
      droppedAttributesCount: fc.nat({ max: 2 ** 31 }),
    });
    fc.assert(
      fc.property(fc.array(span, { maxLength: 5 }), (records) => {
        const spans = records.map((r) =>
          finishedSpan({
            ...r,
            parent: r.parent && {
              traceId: r.traceId,
              spanId: r.parent.spanId,
              traceFlags: 1,
              isRemote: r.parent.isRemote,
            },
            traceState: r.name.length % 2 ? traceState('a=b') : undefined,
          }),
        );
        const expected = expectedRequest(spans);
        expect(canonicalBody(encodeProtobufTraceRequest(spans), 'http/protobuf')).toEqual(expected);
        expect(canonicalBody(encodeJsonTraceRequest(spans), 'http/json')).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('handles bytes, nested kvlists and ids beyond one buffer growth', () => {
    const spans = Array.from({ length: 400 }, (_, i) =>
      finishedSpan({
        traceId: hexId(16, i),
        attributes: {
          blob: new Uint8Array([0, 1, 254, 255, i & 255]) as unknown as string,
          nested: { inner: { deep: i }, list: [1, 'two'] } as unknown as string,
          text: 'y'.repeat(i),
        },
      }),
    );
    const body = encodeProtobufTraceRequest(spans);
    expect(body.length).toBeGreaterThan(64 * 1024);
    expect(canonicalBody(body, 'http/protobuf')).toEqual(expectedRequest(spans));
    expect(canonicalBody(encodeJsonTraceRequest(spans), 'http/json')).toEqual(
      expectedRequest(spans),
    );
  });

  it('decodes batches whose attributes, names, kinds, times and ids repeat, at every span size (property)', () => {
    // The encoders copy repeated fields from where they were first written; spans under 128 bytes
    // and over 16 KiB move in the protobuf buffer after being written, and so must those copies.
    const value = fc.oneof(
      fc.constantFrom(
        'GET',
        'POST',
        'é'.repeat(70),
        'x'.repeat(200),
        200,
        404,
        -1,
        0.5,
        true,
        false,
      ),
      fc.constant({ nested: 'kv', n: 1 }),
      fc.constant(['a', 'b']),
    );
    const attributes = fc.dictionary(fc.constantFrom('k1', 'k2', 'k3', 'k4', 'ü'), value, {
      maxKeys: 5,
    });
    const traceIds = Array.from({ length: 3 }, (_, i) => hexId(16, 500 + i));
    const parentIds = Array.from({ length: 3 }, (_, i) => hexId(8, 600 + i));
    const time = fc.tuple(
      fc.constantFrom(0, 1_700_000_000, 1_700_000_001),
      fc.integer({ min: 0, max: 999_999_999 }),
    );
    const span = fc.record({
      name: fc.constantFrom('a', 'b'.repeat(150), 'c'.repeat(17_000)),
      kind: fc.integer({ min: 0, max: 4 }),
      traceId: fc.constantFrom(...traceIds),
      traceFlags: fc.constantFrom(0, 1),
      parent: fc.option(fc.constantFrom(...parentIds), { nil: undefined }),
      start: time,
      end: time,
      attributes,
      events: fc.array(fc.record({ name: fc.constant('event'), time, attributes }), {
        maxLength: 2,
      }),
      otherScope: fc.boolean(),
      otherResource: fc.boolean(),
    });
    const otherScope = { name: 'other' };
    const otherResource = { attributes: { k1: 'GET', k2: 200 } };
    fc.assert(
      fc.property(fc.array(span, { maxLength: 24 }), (records) => {
        const spans = records.map((r) =>
          finishedSpan({
            ...r,
            // Nested kvlists are beyond the API's AttributeValue type; the encoders take them.
            attributes: r.attributes as Attributes,
            parent: r.parent ? { traceId: r.traceId, spanId: r.parent, traceFlags: 1 } : undefined,
            events: r.events as unknown as TimedEvent[],
            scope: r.otherScope ? otherScope : undefined,
            resource: r.otherResource ? otherResource : undefined,
          }),
        );
        const expected = expectedRequest(spans);
        expect(canonicalBody(encodeProtobufTraceRequest(spans), 'http/protobuf')).toEqual(expected);
        expect(canonicalBody(encodeJsonTraceRequest(spans), 'http/json')).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
