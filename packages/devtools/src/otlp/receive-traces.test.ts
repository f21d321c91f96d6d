import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  decodeResponse,
  decodeRpcStatus,
  encodeRequest,
  hexBytes,
  int64,
} from '../../test/fixtures/otlp-proto';
import {
  type BatchSpec,
  jsonBody,
  jsonRequest,
  protobufBody,
  type SpanSpec,
} from '../../test/fixtures/span-spec';
import { receiveTraces } from './receive-traces';

const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';
const decodeText = (body: Uint8Array) => new TextDecoder().decode(body);

/** Every object key of an OTLP/JSON value renamed from lowerCamelCase to its proto field name. */
function snakeCaseKeys(value: unknown): any {
  if (Array.isArray(value)) return value.map(snakeCaseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`),
      snakeCaseKeys(inner),
    ]),
  );
}
const encodeText = (text: string) => new TextEncoder().encode(text);

function spanSpec(overrides: Partial<SpanSpec> = {}): SpanSpec {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    name: 'GET /api/cart',
    kind: 2,
    start: 1_763_900_000_123_456_789n,
    end: 1_763_900_000_135_956_789n,
    attributes: [['http.route', { string: '/api/cart' }]],
    events: [],
    links: [],
    ...overrides,
  };
}

const batchOf = (...spans: SpanSpec[]): BatchSpec => ({
  resources: [
    {
      attributes: [['service.name', { string: 'checkout' }]],
      scopes: [{ name: '@acme/cart', version: '1.0.0', spans }],
    },
  ],
});

describe('receiveTraces', () => {
  it('decodes a protobuf request into stored spans, with ms times to the microsecond', () => {
    const result = receiveTraces({
      contentType: PROTOBUF,
      body: protobufBody(batchOf(spanSpec({ parentSpanId: '00f067aa0ba902b7' }))),
    });
    expect(result.status).toBe(200);
    expect(result.contentType).toBe(PROTOBUF);
    expect(result.body).toEqual(new Uint8Array(0));
    const [span] = result.spans;
    expect(span).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      parentSpanId: '00f067aa0ba902b7',
      service: 'checkout',
      scope: { name: '@acme/cart', version: '1.0.0' },
      kind: 2,
      status: { code: 0 },
    });
    expect(span!.startTime).toBeCloseTo(1_763_900_000_123.4568, 3);
    expect(span!.endTime - span!.startTime).toBeCloseTo(12.5, 6);
  });

  it('decodes every attribute type, including negative and large int64s', () => {
    const spec = spanSpec({
      attributes: [
        ['s', { string: 'ünï' }],
        ['yes', { bool: true }],
        ['no', { bool: false }],
        ['minus', { int: -1 }],
        ['min', { int: Number.MIN_SAFE_INTEGER }],
        ['max', { int: Number.MAX_SAFE_INTEGER }],
        ['pi', { double: Math.PI }],
        ['raw', { bytes: new Uint8Array([255, 0, 7]) }],
        ['list', { array: [{ int: 1 }, { string: 'x' }, { empty: true }] }],
        ['map', { kvlist: [['inner', { kvlist: [['deep', { bool: true }]] }]] }],
        ['nothing', { empty: true }],
      ],
    });
    for (const [contentType, body] of [
      [PROTOBUF, protobufBody(batchOf(spec))],
      [JSON_TYPE, jsonBody(batchOf(spec))],
    ] as const) {
      const { spans } = receiveTraces({ contentType, body });
      expect(spans[0]!.attributes).toEqual({
        s: 'ünï',
        yes: true,
        no: false,
        minus: -1,
        min: Number.MIN_SAFE_INTEGER,
        max: Number.MAX_SAFE_INTEGER,
        pi: Math.PI,
        raw: '/wAH',
        list: [1, 'x', null],
        map: { inner: { deep: true } },
        nothing: null,
      });
    }
  });

  it('keeps int64 values past ±(2^53 − 1) exact, as decimal strings', () => {
    const values: [string, bigint][] = [
      ['safe', 9_007_199_254_740_991n],
      ['negativeSafe', -9_007_199_254_740_991n],
      ['past', 9_007_199_254_740_993n],
      ['negativePast', -9_007_199_254_740_993n],
      ['max', 9_223_372_036_854_775_807n],
      ['min', -9_223_372_036_854_775_808n],
    ];
    const expected = {
      safe: 9_007_199_254_740_991,
      negativeSafe: -9_007_199_254_740_991,
      past: '9007199254740993',
      negativePast: '-9007199254740993',
      max: '9223372036854775807',
      min: '-9223372036854775808',
      list: ['9007199254740993', 1],
    };
    const span = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      startTimeUnixNano: '1000000000',
      endTimeUnixNano: '2000000000',
    };
    const protobuf = encodeRequest({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  ...span,
                  traceId: hexBytes(span.traceId),
                  spanId: hexBytes(span.spanId),
                  startTimeUnixNano: 1_000_000_000,
                  endTimeUnixNano: 2_000_000_000,
                  attributes: [
                    ...values.map(([key, n]) => ({ key, value: { intValue: int64(n) } })),
                    {
                      key: 'list',
                      value: {
                        arrayValue: {
                          values: [
                            { intValue: int64(9_007_199_254_740_993n) },
                            { intValue: int64(1n) },
                          ],
                        },
                      },
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const json = JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  ...span,
                  attributes: [
                    ...values.map(([key, n]) => ({ key, value: { intValue: String(n) } })),
                    {
                      key: 'list',
                      value: {
                        arrayValue: {
                          values: [{ intValue: '0009007199254740993' }, { intValue: 1 }],
                        },
                      },
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    for (const [contentType, body] of [
      [PROTOBUF, protobuf],
      [JSON_TYPE, encodeText(json)],
    ] as const) {
      const result = receiveTraces({ contentType, body });
      expect(result).toMatchObject({ status: 200, rejected: 0 });
      expect(result.spans[0]!.attributes).toEqual(expected);
    }
    // Out of the int64 range: not an int64.
    for (const out of ['9223372036854775808', '-9223372036854775809', '1'.repeat(400)]) {
      const result = receiveTraces({
        contentType: JSON_TYPE,
        body: encodeText(json.replace('"9223372036854775807"', `"${out}"`)),
      });
      expect(result.status).toBe(400);
      expect(result.error).toMatch(/intValue is out of the int64 range/);
    }
  });

  it('skips fields it does not know, of every wire type', () => {
    const span = {
      traceId: hexBytes('0af7651916cd43dd8448eb211c80319c'),
      spanId: hexBytes('b7ad6b7169203331'),
      name: 'future',
      startTimeUnixNano: 1_000_000_000,
      endTimeUnixNano: 2_000_000_000,
      futureString: 'x'.repeat(300),
      futureFixed32: 7,
      futureVarint: 2 ** 40,
      futureFixed64: 9,
      futureMessage: { key: 'k', value: { stringValue: 'v' } },
    };
    const body = encodeRequest({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] });
    // And an unknown top-level field (number 9, varint) after the spans.
    const withTrailer = Uint8Array.from([...body, 0x48, 0x96, 0x01]);
    const result = receiveTraces({ contentType: PROTOBUF, body: withTrailer });
    expect(result.status).toBe(200);
    expect(result.spans).toHaveLength(1);
    expect(result.spans[0]).toMatchObject({ name: 'future', service: 'unknown_service' });
  });

  it('accepts OTLP/JSON times and int values as numbers as well as strings, and hex in upper case', () => {
    const spec = spanSpec({ attributes: [['n', { int: -5 }]] });
    const result = receiveTraces({
      contentType: 'application/json; charset=utf-8',
      body: jsonBody(batchOf(spec), { numericLongs: true, upperCaseIds: true }),
    });
    expect(result.status).toBe(200);
    expect(result.contentType).toBe(JSON_TYPE);
    expect(result.spans[0]).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      attributes: { n: -5 },
    });
    expect(result.spans[0]!.startTime).toBeCloseTo(1_763_900_000_123.457, 2);
  });

  it('reads an OTLP/JSON intValue sent as a JSON number as the protobuf encoding reads the same int64', () => {
    // Protobuf JSON mapping, int64: "Either numbers or strings are accepted". Past 2^53 the number
    // has been rounded by the JSON parser already; it is kept, as the string the model keeps such
    // values as. Out of the int64 range (a JSON number cannot be more than 2^63 away after
    // rounding and still be one), it is a 400, as for a string.
    const body = (value: string) =>
      encodeText(
        `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","startTimeUnixNano":"1000000000","endTimeUnixNano":"2000000000","attributes":[{"key":"n","value":{"intValue":${value}}}]}]}]}]}`,
      );
    for (const [literal, kept] of [
      ['9007199254740991', 9_007_199_254_740_991],
      ['1152921504606846976', '1152921504606846976'],
      ['-9223372036854775808', '-9223372036854775808'],
      // 2^63 after rounding: the nearest double to INT64_MAX
      ['9223372036854775807', '9223372036854775807'],
      ['1e3', 1000],
    ] as const) {
      const result = receiveTraces({ contentType: JSON_TYPE, body: body(literal) });
      expect(result, literal).toMatchObject({ status: 200, rejected: 0 });
      expect(result.spans[0]!.attributes.n, literal).toEqual(kept);
    }
    for (const out of ['1e300', '-1e300', '18446744073709551616', '-9223372036854777856']) {
      const result = receiveTraces({ contentType: JSON_TYPE, body: body(out) });
      expect(result.status, out).toBe(400);
      expect(result.error).toMatch(/intValue is out of the int64 range/);
    }
  });

  it('takes an all-zero or empty parent span id for no parent, in either encoding', () => {
    // Several exporters send 8 zero bytes (or "0000000000000000") for a root's parent, as the
    // Collector's pdata treats it: an empty SpanID.
    const spec = batchOf(
      spanSpec({ spanId: '000000000000000a', parentSpanId: '0000000000000000' }),
      spanSpec({ spanId: '000000000000000b', parentSpanId: '000000000000000a' }),
    );
    const json = jsonRequest(spec) as any;
    const emptyParent = { ...json.resourceSpans[0].scopeSpans[0].spans[0], spanId: 'c'.repeat(16) };
    emptyParent.parentSpanId = '';
    json.resourceSpans[0].scopeSpans[0].spans.push(emptyParent);
    for (const [contentType, body] of [
      [PROTOBUF, protobufBody(spec)],
      [JSON_TYPE, encodeText(JSON.stringify(json))],
    ] as const) {
      const result = receiveTraces({ contentType, body });
      expect(result).toMatchObject({ status: 200, rejected: 0 });
      expect(result.spans.map((s) => [s.spanId, s.parentSpanId])).toEqual([
        ['000000000000000a', undefined],
        ['000000000000000b', '000000000000000a'],
        ...(contentType === JSON_TYPE ? [['c'.repeat(16), undefined]] : []),
      ]);
    }
    // An empty bytes field in protobuf is no parent too.
    const empty = encodeRequest({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: hexBytes('0af7651916cd43dd8448eb211c80319c'),
                  spanId: hexBytes('b7ad6b7169203331'),
                  parentSpanId: new Uint8Array(0),
                  startTimeUnixNano: 1_000_000_000,
                  endTimeUnixNano: 2_000_000_000,
                },
              ],
            },
          ],
        },
      ],
    });
    const result = receiveTraces({ contentType: PROTOBUF, body: empty });
    expect(result).toMatchObject({ status: 200, rejected: 0 });
    expect(result.spans[0]!.parentSpanId).toBeUndefined();
  });

  it('accepts OTLP/JSON with the proto field names (snake_case) as well, at every level', () => {
    const spec = batchOf(
      spanSpec({
        parentSpanId: '00f067aa0ba902b7',
        traceState: 'vendor=1',
        status: { code: 2, message: 'failed' },
        attributes: [
          ['s', { string: 'x' }],
          ['b', { bool: true }],
          ['i', { int: -7 }],
          ['d', { double: 0.5 }],
          ['raw', { bytes: new Uint8Array([1, 2, 3]) }],
          ['list', { array: [{ int: 1 }, { kvlist: [['k', { string: 'v' }]] }] }],
        ],
        events: [{ time: 1_763_900_000_125_000_000n, name: 'exception', attributes: [] }],
        links: [
          { traceId: 'f'.repeat(32), spanId: 'e'.repeat(16), attributes: [['l', { int: 1 }]] },
        ],
      }),
    );
    const camel = jsonRequest(spec) as any;
    const span = camel.resourceSpans[0].scopeSpans[0].spans[0];
    // The span's flags and dropped counts, kept under either name too.
    Object.assign(span, { flags: 257, droppedAttributesCount: 1, droppedEventsCount: 2 });
    Object.assign(span, { droppedLinksCount: 3 });
    camel.resourceSpans[0].schemaUrl = 'https://opentelemetry.io/schemas/1.26.0';
    camel.resourceSpans[0].resource.droppedAttributesCount = 0;
    const snake = snakeCaseKeys(camel);
    // Every key below the top level was renamed (the test would prove nothing otherwise).
    expect(JSON.stringify(snake)).not.toMatch(/"[a-z]+[A-Z]\w*":/);
    expect(Object.keys(snake.resource_spans[0].scope_spans[0].spans[0])).toEqual(
      expect.arrayContaining(['trace_id', 'span_id', 'parent_span_id', 'start_time_unix_nano']),
    );
    const expected = receiveTraces({
      contentType: JSON_TYPE,
      body: encodeText(JSON.stringify(camel)),
    });
    expect(expected).toMatchObject({ status: 200, rejected: 0 });
    expect(expected.spans[0]).toMatchObject({
      parentSpanId: '00f067aa0ba902b7',
      traceState: 'vendor=1',
      status: { code: 2, message: 'failed' },
      flags: 257,
      droppedAttributesCount: 1,
      droppedEventsCount: 2,
      droppedLinksCount: 3,
    });
    const result = receiveTraces({
      contentType: JSON_TYPE,
      body: encodeText(JSON.stringify(snake)),
    });
    expect(result).toMatchObject({ status: 200, rejected: 0 });
    expect(result.spans).toEqual(expected.spans);

    // Mixed spellings, and the top level alone in snake_case.
    const mixed = { resource_spans: camel.resourceSpans };
    expect(
      receiveTraces({ contentType: JSON_TYPE, body: encodeText(JSON.stringify(mixed)) }).spans,
    ).toEqual(expected.spans);
  });

  it('accepts OTLP/JSON enums by their value names as well as by number', () => {
    const kinds = [
      'SPAN_KIND_UNSPECIFIED',
      'SPAN_KIND_INTERNAL',
      'SPAN_KIND_SERVER',
      'SPAN_KIND_CLIENT',
      'SPAN_KIND_PRODUCER',
      'SPAN_KIND_CONSUMER',
    ];
    const codes = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
    const spec = batchOf(
      ...kinds.map((_, i) => spanSpec({ spanId: `00000000000000${i + 10}`, kind: i })),
      ...codes.map((_, i) =>
        spanSpec({ spanId: `00000000000000${i + 20}`, status: { code: i, message: 'm' } }),
      ),
    );
    const request = jsonRequest(spec) as any;
    const spans = request.resourceSpans[0].scopeSpans[0].spans;
    kinds.forEach((name, i) => {
      spans[i].kind = name;
    });
    codes.forEach((name, i) => {
      spans[kinds.length + i].status.code = name;
    });
    const byNumber = receiveTraces({ contentType: JSON_TYPE, body: jsonBody(spec) });
    const byName = receiveTraces({
      contentType: JSON_TYPE,
      body: encodeText(JSON.stringify(request)),
    });
    expect(byName).toMatchObject({ status: 200, rejected: 0 });
    expect(byName.spans.map((span) => span.kind)).toEqual([0, 1, 2, 3, 4, 5, 2, 2, 2]);
    expect(byName.spans.map((span) => span.status.code)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 2]);
    expect(byName.spans).toEqual(byNumber.spans);
    // In the proto field names' spelling too (the enum fields are one word either way).
    const snake = receiveTraces({
      contentType: JSON_TYPE,
      body: encodeText(JSON.stringify(snakeCaseKeys(request))),
    });
    expect(snake.spans).toEqual(byNumber.spans);
  });

  it('keeps a kind or status code OTLP does not define, as its number, in either encoding', () => {
    const kinds = [6, 9, 2 ** 31 - 1, -1, -(2 ** 31)];
    const codes = [3, 7, 2 ** 31 - 1, -1, -(2 ** 31)];
    const spec = batchOf(
      ...kinds.map((kind, i) =>
        spanSpec({ spanId: `00000000000000${i + 10}`, kind, status: { code: codes[i]! } }),
      ),
    );
    for (const [contentType, body] of [
      [PROTOBUF, protobufBody(spec)],
      [JSON_TYPE, jsonBody(spec)],
    ] as const) {
      const result = receiveTraces({ contentType, body });
      expect(result).toMatchObject({ status: 200, rejected: 0 });
      expect(result.spans.map((span) => span.kind)).toEqual(kinds);
      expect(result.spans.map((span) => span.status.code)).toEqual(codes);
    }
    // An OTLP/JSON -0 is 0 (as protojson reads it), and 2.0 is 2.
    const request = jsonRequest(batchOf(spanSpec())) as any;
    Object.assign(request.resourceSpans[0].scopeSpans[0].spans[0], {
      kind: -0,
      status: { code: 2.0 },
    });
    const text = JSON.stringify(request).replace('"kind":0', '"kind":-0');
    expect(text).toContain('"kind":-0');
    const [span] = receiveTraces({ contentType: JSON_TYPE, body: encodeText(text) }).spans;
    expect(Object.is(span!.kind, 0)).toBe(true);
    expect(span!.status.code).toBe(2);
  });

  it('reads a protobuf kind or status code as an int32: the low 32 bits of its varint', () => {
    // Span { trace_id, span_id, start, end, kind = 6, status = 15 { code = 3 } }, hand-encoded:
    // protobufjs writes no varint past an int32's 10 bytes of sign extension.
    const fixed64 = (n: bigint) => {
      const bytes = new Uint8Array(8);
      new DataView(bytes.buffer).setBigUint64(0, n, true);
      return [...bytes];
    };
    const span = (kind: number[], code: number[]) => {
      const status = [0x18, ...code];
      return [
        ...[0x0a, 16, ...hexBytes('0af7651916cd43dd8448eb211c80319c')],
        ...[0x12, 8, ...hexBytes('b7ad6b7169203331')],
        ...[0x39, ...fixed64(1_763_900_000_123_456_789n)],
        ...[0x41, ...fixed64(1_763_900_000_135_956_789n)],
        ...[0x30, ...kind],
        ...[0x7a, status.length, ...status],
      ];
    };
    const body = (kind: number[], code: number[]) => {
      const spanBytes = span(kind, code);
      const scope = [0x12, spanBytes.length, ...spanBytes];
      const resource = [0x12, scope.length, ...scope];
      return new Uint8Array([0x0a, resource.length, ...resource]);
    };
    const read = (kind: number[], code: number[]) => {
      const result = receiveTraces({ contentType: PROTOBUF, body: body(kind, code) });
      expect(result).toMatchObject({ status: 200, rejected: 0 });
      return [result.spans[0]!.kind, result.spans[0]!.status.code];
    };
    expect(read([0x02], [0x02])).toEqual([2, 2]);
    // 2^32 + 7: the low 32 bits are 7.
    expect(read([0x87, 0x80, 0x80, 0x80, 0x10], [0x01])).toEqual([7, 1]);
    // -1 and -2^31, sign-extended to 10 bytes.
    const minus1 = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    const min = [0x80, 0x80, 0x80, 0x80, 0xf8, 0xff, 0xff, 0xff, 0xff, 0x01];
    expect(read(minus1, min)).toEqual([-1, -(2 ** 31)]);
    // 2^31 as a uint64 varint: an int32's bit 31, so -2^31.
    expect(read([0x80, 0x80, 0x80, 0x80, 0x08], [0x00])).toEqual([-(2 ** 31), 0]);
    // An 11-byte varint is no varint.
    const tooLong = receiveTraces({
      contentType: PROTOBUF,
      body: body([...minus1.slice(0, 9), 0xff, 0x01], [0x00]),
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.error).toMatch(/varint longer than 10 bytes/);
  });

  it('answers an empty request with success', () => {
    expect(receiveTraces({ contentType: PROTOBUF, body: new Uint8Array(0) })).toMatchObject({
      status: 200,
      spans: [],
    });
    expect(receiveTraces({ contentType: JSON_TYPE, body: encodeText('{}') })).toMatchObject({
      status: 200,
      spans: [],
    });
  });

  describe('gzip', () => {
    it('decompresses gzip bodies in either encoding', () => {
      const spec = batchOf(spanSpec());
      for (const [contentType, body] of [
        [PROTOBUF, protobufBody(spec)],
        [JSON_TYPE, jsonBody(spec)],
      ] as const) {
        const result = receiveTraces({
          contentType,
          contentEncoding: 'gzip',
          body: gzipSync(body),
        });
        expect(result.status).toBe(200);
        expect(result.spans.map((s) => s.spanId)).toEqual(['b7ad6b7169203331']);
      }
    });

    it('answers 413 for a body whose decompressed size is over the cap (a gzip bomb)', () => {
      const bomb = gzipSync(new Uint8Array(8 * 1024 * 1024));
      expect(bomb.length).toBeLessThan(64 * 1024);
      const result = receiveTraces(
        { contentType: PROTOBUF, contentEncoding: 'gzip', body: bomb },
        { maxBodyBytes: 1024 * 1024 },
      );
      expect(result).toMatchObject({ status: 413, spans: [] });
      expect(result.error).toMatch(/decompressed body is over the 1048576-byte cap/);
    });

    it('answers 400 for a corrupt gzip body', () => {
      const gzipped = gzipSync(protobufBody(batchOf(spanSpec())));
      const result = receiveTraces({
        contentType: PROTOBUF,
        contentEncoding: 'gzip',
        body: gzipped.subarray(0, gzipped.length - 12),
      });
      expect(result).toMatchObject({ status: 400, spans: [] });
      expect(result.error).toMatch(/gzip/);
    });
  });

  describe('bodies that cannot be decoded: 400, and nothing kept', () => {
    const valid = protobufBody(batchOf(spanSpec(), spanSpec({ spanId: '1111111111111111' })));

    it.each([
      ['truncated inside a span', valid.subarray(0, valid.length - 5), /truncated|past/],
      [
        'garbage',
        Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
        /varint/,
      ],
      ['a group wire type', Uint8Array.from([0x0b, 0x0c]), /wire type 3/],
      ['field number 0', Uint8Array.from([0x02, 0x00]), /field number 0/],
      ['a length past the end', Uint8Array.from([0x0a, 0x7f, 0x00]), /past its message/],
    ])('protobuf: %s', (_, body, message) => {
      const result = receiveTraces({ contentType: PROTOBUF, body });
      expect(result).toMatchObject({ status: 400, spans: [], rejected: 0 });
      expect(result.contentType).toBe(PROTOBUF);
      expect(result.error).toMatch(message);
      // The body is a google.rpc.Status in the request's encoding.
      expect(decodeRpcStatus(result.body)).toEqual({ code: 3, message: result.error });
    });

    /** A body with the bytes of `marker` (once in it) replaced by `bytes`, same length. */
    function patched(body: Uint8Array, marker: string, bytes: number[]): Uint8Array {
      const at = Buffer.from(body).indexOf(Buffer.from(marker));
      expect(at).toBeGreaterThanOrEqual(0);
      // A copy (a Buffer's slice() would share its memory).
      const copy = Uint8Array.from(body);
      copy.set(bytes, at);
      return copy;
    }

    // proto3: a string "must always contain UTF-8 encoded or 7-bit ASCII text".
    it.each([
      ['a lone continuation byte', [0x80]],
      ['0xff', [0xff, 0xfe]],
      ['a truncated sequence', [0xc3, 0x41]],
      ['an overlong encoding', [0xc0, 0xaf]],
      ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ])(
      'protobuf: a string with %s is invalid UTF-8 (short, long and uncached strings)',
      (_, bytes) => {
        for (const [name, attribute, scope] of [
          ['MARK!', 'v', 's'],
          [`${'n'.repeat(40)}MARK!`, 'v', 's'],
          ['n', `${'v'.repeat(200)}MARK!`, 's'],
          ['n', 'v', `ü${'s'.repeat(10)}MARK!`],
        ]) {
          const spec = spanSpec({ name, attributes: [['k', { string: attribute }]] });
          const batch = batchOf(spec, spanSpec({ spanId: '1111111111111111' }));
          batch.resources[0]!.scopes[0]!.name = scope;
          const good = protobufBody(batch);
          const body = patched(good, 'MARK!', bytes);
          const result = receiveTraces({ contentType: PROTOBUF, body });
          expect(result, name).toMatchObject({ status: 400, spans: [], rejected: 0 });
          // Where the string's bytes start.
          const text = Buffer.from(name === 'n' ? (scope === 's' ? attribute : scope) : name);
          const at = Buffer.from(good).indexOf(text);
          expect(result.error).toMatch(`: a string at byte ${at} is not valid UTF-8`);
          expect(decodeRpcStatus(result.body)).toEqual({ code: 3, message: result.error });
        }
      },
    );

    it('JSON: a body that is not UTF-8', () => {
      const good = jsonBody(batchOf(spanSpec({ name: 'MARK!' })));
      for (const body of [
        patched(good, 'MARK!', [0xff, 0xc0]),
        patched(good, 'MARK!', [0xed, 0xa0, 0x80]),
        // UTF-16, as some tools write JSON files.
        new Uint8Array(Buffer.from(`\ufeff${decodeText(good)}`, 'utf16le')),
      ]) {
        const result = receiveTraces({ contentType: JSON_TYPE, body });
        expect(result).toMatchObject({ status: 400, spans: [], contentType: JSON_TYPE });
        expect(result.error).toMatch(/body is not valid UTF-8/);
      }
      // A UTF-8 byte order mark is fine, as is any valid UTF-8.
      const withBom = Uint8Array.from([0xef, 0xbb, 0xbf, ...good]);
      expect(receiveTraces({ contentType: JSON_TYPE, body: withBom })).toMatchObject({
        status: 200,
        rejected: 0,
      });
    });

    it('refuses arbitrarily deep attribute values instead of recursing without bound', () => {
      let value: Record<string, unknown> = { stringValue: 'leaf' };
      for (let i = 0; i < 40; i++) value = { arrayValue: { values: [value] } };
      const span = {
        traceId: hexBytes('0af7651916cd43dd8448eb211c80319c'),
        spanId: hexBytes('b7ad6b7169203331'),
        startTimeUnixNano: 1,
        endTimeUnixNano: 2,
        attributes: [{ key: 'deep', value }],
      };
      const body = encodeRequest({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] });
      const result = receiveTraces({ contentType: PROTOBUF, body });
      expect(result).toMatchObject({ status: 400, spans: [] });
      expect(result.error).toMatch(/deeper than 32/);
    });

    const goodJson = jsonRequest(batchOf(spanSpec())) as any;
    const withSpan = (patch: Record<string, unknown>) => ({
      resourceSpans: [
        {
          scopeSpans: [
            { spans: [{ ...goodJson.resourceSpans[0].scopeSpans[0].spans[0], ...patch }] },
          ],
        },
      ],
    });

    it.each([
      ['not JSON', '{"resourceSpans": [', /not JSON/],
      ['an array', '[]', /not a JSON object/],
      ['resourceSpans not an array', '{"resourceSpans": {}}', /resourceSpans is not an array/],
      [
        'an intValue that is not an integer',
        JSON.stringify(withSpan({ attributes: [{ key: 'n', value: { intValue: '1.5' } }] })),
        /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.attributes\[0\]\.value\.intValue is not an integer/,
      ],
      [
        'a string value that is a number',
        JSON.stringify(withSpan({ attributes: [{ key: 's', value: { stringValue: 5 } }] })),
        /attributes\[0\]\.value has a member of the wrong type/,
      ],
      ['events not an array', JSON.stringify(withSpan({ events: 'x' })), /events is not an array/],
      [
        'a span that is not an object',
        '{"resourceSpans":[{"scopeSpans":[{"spans":[1]}]}]}',
        /spans\[0\] is not an object/,
      ],
    ])('JSON: %s', (_, text, message) => {
      const result = receiveTraces({ contentType: JSON_TYPE, body: encodeText(text) });
      expect(result).toMatchObject({ status: 400, spans: [], contentType: JSON_TYPE });
      expect(result.error).toMatch(message);
      // A google.rpc.Status in the proto3 JSON mapping, and nothing else: strict parsers (Go's
      // protojson) refuse an unknown field.
      expect(JSON.parse(decodeText(result.body))).toEqual({ code: 3, message: result.error });
    });
  });

  describe('partial success: invalid spans rejected one by one, the rest kept', () => {
    const good = spanSpec({ spanId: '000000000000000a' });
    const alsoGood = spanSpec({ spanId: '000000000000000b', parentSpanId: '000000000000000a' });
    const bad = [
      spanSpec({ traceId: '00000000000000000000000000000000', spanId: '0000000000000001' }),
      spanSpec({ spanId: '0000000000000002', end: 1_763_900_000_000_000_000n }),
      spanSpec({ spanId: '0000000000000003', start: 0n }),
      spanSpec({ spanId: '0000000000000004', parentSpanId: '00000000' }),
      spanSpec({ spanId: '0000000000000005', traceId: '0af7651916cd43dd' }),
    ];
    const spec = batchOf(bad[0]!, good, ...bad.slice(1), alsoGood);

    it('protobuf', () => {
      const result = receiveTraces({ contentType: PROTOBUF, body: protobufBody(spec) });
      expect(result.status).toBe(200);
      expect(result.spans.map((s) => s.spanId)).toEqual(['000000000000000a', '000000000000000b']);
      expect(result.rejected).toBe(5);
      expect(decodeResponse(result.body)).toEqual({
        partialSuccess: { rejectedSpans: '5', errorMessage: result.error },
      });
      expect(result.error).toBe(
        "5 of 7 span(s) rejected; the first: a span's trace id is all zeros",
      );
    });

    it('JSON', () => {
      const result = receiveTraces({ contentType: JSON_TYPE, body: jsonBody(spec) });
      expect(result.status).toBe(200);
      expect(result.spans.map((s) => s.spanId)).toEqual(['000000000000000a', '000000000000000b']);
      expect(JSON.parse(decodeText(result.body))).toEqual({
        partialSuccess: { rejectedSpans: '5', errorMessage: result.error },
      });
    });

    it('answers 400 when every span is rejected: nothing was accepted, so no partial success', () => {
      // OTLP/HTTP: a partial success is "when the server accepts only parts of the data and
      // rejects the rest"; data that "is otherwise invalid" is Bad Data, HTTP 400.
      const allBad = batchOf(spanSpec({ traceId: '0102' }), ...bad.slice(1));
      for (const [contentType, body] of [
        [PROTOBUF, protobufBody(allBad)],
        [JSON_TYPE, jsonBody(allBad)],
      ] as const) {
        const result = receiveTraces({ contentType, body });
        expect(result).toMatchObject({ status: 400, contentType, spans: [], rejected: 5 });
        expect(result.error).toBe(
          `5 of 5 span(s) rejected; the first: a span's trace id "0102" is not 16 bytes (32 hex digits)`,
        );
        const status =
          contentType === PROTOBUF
            ? decodeRpcStatus(result.body)
            : JSON.parse(decodeText(result.body));
        expect(status).toEqual({ code: 3, message: result.error });
      }
      // One good span among them is a partial success again.
      const result = receiveTraces({
        contentType: PROTOBUF,
        body: protobufBody(batchOf(...bad, good)),
      });
      expect(result).toMatchObject({ status: 200, rejected: 5 });
      expect(result.spans.map((s) => s.spanId)).toEqual(['000000000000000a']);
    });

    it.each([
      [{ traceId: undefined }, /has no trace id/],
      [{ traceId: 'abc' }, /trace id "abc" is not 16 bytes/],
      [{ traceId: 'zz'.repeat(16) }, /is not 16 bytes/],
      [{ spanId: '0000000000000000' }, /span id is all zeros/],
      [{ parentSpanId: '00f067aa' }, /parent span id "00f067aa" is not 8 bytes/],
      [{ name: 42 }, /name is not a string/],
      [{ startTimeUnixNano: undefined }, /has no start time/],
      [{ endTimeUnixNano: '0' }, /has no end time/],
      [{ endTimeUnixNano: '1763900000000000000' }, /ends before it starts/],
      // Past the uint64 range (2^64 − 1 = 18446744073709551615), as a number or a string.
      [
        { startTimeUnixNano: 1e30, endTimeUnixNano: 1e30 },
        /start time that is not a uint64 number of nanoseconds/,
      ],
      [{ endTimeUnixNano: 2 ** 64 }, /end time that is not a uint64/],
      [{ endTimeUnixNano: '18446744073709551616' }, /end time that is not a uint64/],
      [{ endTimeUnixNano: '99999999999999999999' }, /end time that is not a uint64/],
      [{ startTimeUnixNano: '-1' }, /start time that is not a uint64/],
      [{ startTimeUnixNano: 1.5 }, /start time that is not a uint64/],
      [{ kind: 'SPAN_KIND_SERVE' }, /kind "SPAN_KIND_SERVE", not a SpanKind name or an int32/],
      // Names match exactly, as in protojson; an integer in a string is no name (protojson and
      // the Collector refuse it too), nor is a value name of the other enum.
      [{ kind: 'span_kind_server' }, /kind "span_kind_server", not a SpanKind name/],
      [{ kind: '2' }, /kind "2", not a SpanKind name or an int32/],
      [{ kind: 'STATUS_CODE_OK' }, /kind "STATUS_CODE_OK"/],
      [{ kind: 1.5 }, /kind 1.5, not a SpanKind name or an int32/],
      [{ kind: 2 ** 31 }, /kind 2147483648, not a SpanKind name or an int32/],
      [{ kind: true }, /kind true/],
      [{ status: { code: 'STATUS_CODE_ERR' } }, /status code "STATUS_CODE_ERR", not a StatusCode/],
      [{ status: { code: '2' } }, /status code "2", not a StatusCode name or an int32/],
      [{ status: { code: 'SPAN_KIND_SERVER' } }, /status code "SPAN_KIND_SERVER"/],
      [{ status: { code: -(2 ** 31) - 1 } }, /status code -2147483649, not a StatusCode/],
    ])('rejects a JSON span with %o', (patch, problem) => {
      const request = jsonRequest(
        batchOf(spanSpec(), spanSpec({ spanId: '2222222222222222' })),
      ) as any;
      Object.assign(request.resourceSpans[0].scopeSpans[0].spans[1], patch);
      const result = receiveTraces({
        contentType: JSON_TYPE,
        body: encodeText(JSON.stringify(request)),
      });
      expect(result.status).toBe(200);
      expect(result.rejected).toBe(1);
      expect(result.spans.map((s) => s.spanId)).toEqual(['b7ad6b7169203331']);
      expect(result.error).toMatch(problem);
    });

    it('keeps OTLP/JSON times up to the largest uint64, and refuses an event time past it', () => {
      const request = jsonRequest(batchOf(spanSpec(), spanSpec({ spanId: '2222222222222222' })));
      const spans = (request as any).resourceSpans[0].scopeSpans[0].spans;
      // 2^64 − 2048: the largest double below 2^64.
      Object.assign(spans[0], { endTimeUnixNano: 2 ** 64 - 2048 });
      Object.assign(spans[1], { endTimeUnixNano: '18446744073709551615' });
      const result = receiveTraces({
        contentType: JSON_TYPE,
        body: encodeText(JSON.stringify(request)),
      });
      expect(result).toMatchObject({ status: 200, rejected: 0 });
      // 18446744073709.549568 and .551615 ms, to the ~4 µs a double holds there.
      expect(result.spans[0]!.endTime).toBeCloseTo(18_446_744_073_709.55, 2);
      expect(result.spans[1]!.endTime).toBeCloseTo(18_446_744_073_709.55, 2);
      // An event's time is no field of the span's own: past the range it is a decode error.
      spans[1].events = [{ timeUnixNano: '18446744073709551616', name: 'e' }];
      const event = receiveTraces({
        contentType: JSON_TYPE,
        body: encodeText(JSON.stringify(request)),
      });
      expect(event.status).toBe(400);
      expect(event.error).toMatch(/spans\[1\]\.events\[0\]\.timeUnixNano is not a uint64/);
    });

    it('keeps a span that ends when it starts', () => {
      const result = receiveTraces({
        contentType: PROTOBUF,
        body: protobufBody(batchOf(spanSpec({ end: spanSpec().start }))),
      });
      expect(result).toMatchObject({ status: 200, rejected: 0 });
      expect(result.spans).toHaveLength(1);
    });
  });

  describe('caps and content types', () => {
    const body = protobufBody(batchOf(spanSpec()));

    it('answers 413 for a body over the cap, in the request encoding', () => {
      const result = receiveTraces(
        { contentType: PROTOBUF, body },
        { maxBodyBytes: body.length - 1 },
      );
      expect(result).toMatchObject({ status: 413, spans: [], contentType: PROTOBUF });
      expect(decodeRpcStatus(result.body)).toEqual({ code: 8, message: result.error });
      expect(result.error).toMatch(/over the \d+-byte cap/);
      expect(
        receiveTraces({ contentType: PROTOBUF, body }, { maxBodyBytes: body.length }).status,
      ).toBe(200);
    });

    it('answers with the media type the request named: "the same Content-Type"', () => {
      const partial = protobufBody(batchOf(spanSpec(), spanSpec({ spanId: '0'.repeat(16) })));
      for (const [contentType, expected] of [
        ['application/protobuf', 'application/protobuf'],
        ['application/x-protobuf', 'application/x-protobuf'],
        ['application/protobuf; proto=opentelemetry', 'application/protobuf'],
        [' Application/Protobuf ', 'application/protobuf'],
        ['application/json; charset=utf-8', 'application/json'],
      ]) {
        const json = expected === JSON_TYPE;
        const results = [
          receiveTraces({ contentType, body: json ? encodeText('{}') : body }),
          receiveTraces({ contentType, body: json ? jsonBody(batchOf(spanSpec())) : partial }),
          receiveTraces({ contentType, body: encodeText('{') }),
          receiveTraces({ contentType, body }, { maxBodyBytes: 10 }),
          receiveTraces({ contentType, contentEncoding: 'br', body }),
        ];
        expect(results.map((r) => r.status)).toEqual([200, 200, 400, 413, 415]);
        for (const result of results) expect(result.contentType, contentType).toBe(expected);
      }
    });

    it('answers 415 for another content type, as JSON', () => {
      const result = receiveTraces({ contentType: 'text/plain', body });
      expect(result).toMatchObject({ status: 415, spans: [], contentType: JSON_TYPE });
      expect(JSON.parse(decodeText(result.body))).toEqual({
        code: 12,
        message: expect.stringMatching(/unsupported content type "text\/plain"/),
      });
      expect(receiveTraces({ contentType: undefined, body }).status).toBe(415);
    });

    it('answers 415 for a content encoding other than gzip', () => {
      const result = receiveTraces({ contentType: PROTOBUF, contentEncoding: 'br', body });
      expect(result).toMatchObject({ status: 415, spans: [] });
      expect(result.error).toMatch(/content encoding "br"/);
      expect(
        receiveTraces({ contentType: PROTOBUF, contentEncoding: 'identity', body }).status,
      ).toBe(200);
    });
  });
});
