import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BatchSpec,
  expectedSpans,
  jsonBody,
  jsonRequest,
  protobufBody,
  type SpanSpec,
  type TypedValue,
} from '../../test/fixtures/span-spec';
import { decodeJsonTraceRequest } from './decode-json-traces';
import { decodeProtobufTraceRequest } from './decode-protobuf-traces';
import { OtlpDecodeError } from './otlp-decode-error';
import { receiveTraces } from './receive-traces';

const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

const nonZeroHex = (bytes: number) =>
  fc
    .uint8Array({ minLength: bytes, maxLength: bytes })
    .filter((b) => b.some((x) => x !== 0))
    .map((b) => Buffer.from(b).toString('hex'));

const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme', maxLength: 20 }));
const key = fc.oneof(text, fc.constantFrom('__proto__', 'constructor', 'service.name', ''));

const leaf: fc.Arbitrary<TypedValue> = fc.oneof(
  text.map((s) => ({ string: s })),
  fc.boolean().map((b) => ({ bool: b })),
  fc.maxSafeInteger().map((n) => ({ int: n })),
  fc
    .double({ noNaN: true, noDefaultInfinity: true })
    .map((d) => ({ double: Object.is(d, -0) ? 0 : d })),
  fc.uint8Array({ maxLength: 8 }).map((b) => ({ bytes: b })),
  fc.constant({ empty: true as const }),
);

const { value } = fc.letrec<{ value: TypedValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }).map((array) => ({ array })),
    fc.array(fc.tuple(key, tie('value')), { maxLength: 3 }).map((kvlist) => ({ kvlist })),
  ),
}));

const attributes = fc.array(fc.tuple(key, value), { maxLength: 4 });
// Epoch times between 2001 and 2036, where a double holds ms to a quarter of a microsecond.
const time = fc.bigInt({ min: 1_000_000_000_000_000_000n, max: 2_100_000_000_000_000_000n });

const span: fc.Arbitrary<SpanSpec> = fc
  .record({
    traceId: nonZeroHex(16),
    spanId: nonZeroHex(8),
    parentSpanId: fc.option(nonZeroHex(8), { nil: undefined }),
    traceState: fc.option(fc.constantFrom('a=1', 'vendor=x,b=2'), { nil: undefined }),
    name: text,
    // OTLP's kinds mostly, and any other int32 (kept as it is, as the Collector keeps it).
    kind: fc.oneof(
      fc.integer({ min: 0, max: 5 }),
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    ),
    start: time,
    duration: fc.bigInt({ min: 0n, max: 10_000_000_000n }),
    attributes,
    events: fc.array(fc.record({ time, name: text, attributes }), { maxLength: 2 }),
    links: fc.array(fc.record({ traceId: nonZeroHex(16), spanId: nonZeroHex(8), attributes }), {
      maxLength: 2,
    }),
    status: fc.option(
      fc.record({
        code: fc.oneof(
          fc.integer({ min: 0, max: 2 }),
          fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        ),
        message: fc.option(text, { nil: undefined }),
      }),
      { nil: undefined },
    ),
    // any fixed32 and uint32, and absent (kept as undefined, as 0 is)
    flags: fc.option(fc.oneof(fc.constantFrom(0, 0x101, 0x301), fc.nat({ max: 2 ** 32 - 1 })), {
      nil: undefined,
    }),
    droppedAttributesCount: fc.option(fc.nat({ max: 2 ** 32 - 1 }), { nil: undefined }),
    droppedEventsCount: fc.option(fc.nat({ max: 2 ** 32 - 1 }), { nil: undefined }),
    droppedLinksCount: fc.option(fc.nat({ max: 2 ** 32 - 1 }), { nil: undefined }),
  })
  .map(({ duration, ...rest }) => ({ ...rest, end: rest.start + duration }));

const batch: fc.Arbitrary<BatchSpec> = fc.record({
  resources: fc.array(
    fc.record({
      attributes: fc.oneof(
        attributes,
        text.map((name): [string, TypedValue][] => [['service.name', { string: name }]]),
      ),
      scopes: fc.array(
        fc.record({
          name: text,
          version: fc.option(text, { nil: undefined }),
          spans: fc.array(span, { minLength: 1, maxLength: 3 }),
        }),
        { minLength: 1, maxLength: 2 },
      ),
    }),
    { minLength: 1, maxLength: 2 },
  ),
});

/** Decoding either succeeds or fails with an OtlpDecodeError: nothing else escapes. */
function decodesOrRefuses(decode: () => unknown): void {
  try {
    decode();
  } catch (error) {
    expect(error).toBeInstanceOf(OtlpDecodeError);
  }
}

describe('receiveTraces (properties)', () => {
  it('keeps every valid span of a protobuf body exactly as described', () => {
    fc.assert(
      fc.property(batch, (spec) => {
        const result = receiveTraces({ contentType: PROTOBUF, body: protobufBody(spec) });
        expect(result).toMatchObject({ status: 200, rejected: 0 });
        expect(result.body).toHaveLength(0);
        expect(result.spans).toEqual(expectedSpans(spec));
      }),
    );
  });

  it('keeps every valid span of an OTLP/JSON body exactly as described', () => {
    fc.assert(
      fc.property(batch, fc.boolean(), (spec, upperCaseIds) => {
        const result = receiveTraces({
          contentType: JSON_TYPE,
          body: jsonBody(spec, { upperCaseIds }),
        });
        expect(result).toMatchObject({ status: 200, rejected: 0 });
        expect(new TextDecoder().decode(result.body)).toBe('{}');
        expect(result.spans).toEqual(expectedSpans(spec));
      }),
    );
  });

  it('answers random bytes with 200 or 400, never an exception, and keeps nothing on 400', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        decodesOrRefuses(() => decodeProtobufTraceRequest(bytes));
        const result = receiveTraces({ contentType: PROTOBUF, body: bytes });
        expect([200, 400]).toContain(result.status);
        if (result.status === 400) expect(result.spans).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses truncated or corrupted protobuf bodies with a decode error, never a crash', () => {
    fc.assert(
      fc.property(
        batch,
        fc.nat(),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        (spec, cut, flips) => {
          const body = protobufBody(spec);
          const truncated = body.subarray(0, cut % (body.length + 1));
          const corrupted = body.slice();
          for (const [at, byte] of flips) corrupted[at % corrupted.length] = byte;
          for (const bytes of [truncated, corrupted]) {
            decodesOrRefuses(() => decodeProtobufTraceRequest(bytes));
            const result = receiveTraces({ contentType: PROTOBUF, body: bytes });
            expect([200, 400]).toContain(result.status);
            if (result.status === 400) expect(result.spans).toEqual([]);
          }
        },
      ),
    );
  });

  it('refuses any JSON that is not an ExportTraceServiceRequest with a decode error only', () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(
        batch,
        fc.jsonValue(),
        fc.array(fc.nat(), { maxLength: 6 }),
        (spec, replacement, path) => {
          // Graft a random JSON value somewhere into a valid request.
          const request: any = jsonRequest(spec);
          let node = request;
          for (const step of path) {
            const keys = typeof node === 'object' && node !== null ? Object.keys(node) : [];
            if (keys.length === 0) break;
            const k = keys[step % keys.length]!;
            if (typeof node[k] !== 'object' || node[k] === null) {
              node[k] = replacement;
              break;
            }
            node = node[k];
          }
          for (const body of [JSON.stringify(request), JSON.stringify(replacement)]) {
            const bytes = encoder.encode(body);
            decodesOrRefuses(() => decodeJsonTraceRequest(bytes));
            const result = receiveTraces({ contentType: JSON_TYPE, body: bytes });
            expect([200, 400]).toContain(result.status);
            if (result.status === 400) expect(result.spans).toEqual([]);
          }
        },
      ),
    );
  });
});
