/**
 * A span's OTLP `flags` and dropped attribute, event and link counts, in both encodings: kept on
 * the stored span (undefined when 0 or absent), and, in OTLP/JSON, checked as uint32s.
 */
import { describe, expect, it } from 'vitest';
import { encodeRequest, hexBytes } from '../../test/fixtures/otlp-proto';
import {
  type BatchSpec,
  jsonBody,
  jsonRequest,
  type SpanSpec,
} from '../../test/fixtures/span-spec';
import { receiveTraces } from './receive-traces';

const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

function spanSpec(overrides: Partial<SpanSpec> = {}): SpanSpec {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    parentSpanId: '00f067aa0ba902b7',
    name: 'GET /api/cart',
    kind: 2,
    start: 1_763_900_000_123_456_789n,
    end: 1_763_900_000_135_956_789n,
    attributes: [],
    events: [],
    links: [],
    ...overrides,
  };
}

const batchOf = (...spans: SpanSpec[]): BatchSpec => ({
  resources: [{ attributes: [], scopes: [{ name: 'test', spans }] }],
});

/** Sampled, and the parent known to be remote (bits 0, 8 and 9). */
const REMOTE_PARENT_SAMPLED = 0x301;
const COUNTS = { droppedAttributesCount: 12, droppedEventsCount: 3, droppedLinksCount: 1 };

describe("receiveTraces: a span's flags and dropped counts", () => {
  it('keeps them from a protobuf body, and none where they are 0 or absent', () => {
    const spans = [
      spanSpec({ flags: REMOTE_PARENT_SAMPLED, ...COUNTS }),
      spanSpec({
        spanId: 'b7ad6b7169203332',
        flags: 0xffffffff,
        droppedAttributesCount: 2 ** 32 - 1,
      }),
      spanSpec({ spanId: 'b7ad6b7169203333', flags: 0, droppedEventsCount: 0 }),
      spanSpec({ spanId: 'b7ad6b7169203334' }),
    ];
    const body = encodeRequest({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: spans.map((span) => ({
                traceId: hexBytes(span.traceId),
                spanId: hexBytes(span.spanId),
                parentSpanId: hexBytes(span.parentSpanId!),
                name: span.name,
                startTimeUnixNano: 1_000_000_000,
                endTimeUnixNano: 2_000_000_000,
                flags: span.flags,
                droppedAttributesCount: span.droppedAttributesCount,
                droppedEventsCount: span.droppedEventsCount,
                droppedLinksCount: span.droppedLinksCount,
              })),
            },
          ],
        },
      ],
    });
    const result = receiveTraces({ contentType: PROTOBUF, body });
    expect(result).toMatchObject({ status: 200, rejected: 0 });
    expect(result.spans[0]).toMatchObject({ flags: REMOTE_PARENT_SAMPLED, ...COUNTS });
    expect(result.spans[1]).toMatchObject({
      flags: 0xffffffff,
      droppedAttributesCount: 2 ** 32 - 1,
      droppedEventsCount: undefined,
    });
    for (const span of result.spans.slice(2)) {
      expect(span).toMatchObject({
        flags: undefined,
        droppedAttributesCount: undefined,
        droppedEventsCount: undefined,
        droppedLinksCount: undefined,
      });
    }
  });

  it('keeps them from an OTLP/JSON body, as numbers or decimal strings', () => {
    const asNumbers = jsonBody(batchOf(spanSpec({ flags: REMOTE_PARENT_SAMPLED, ...COUNTS })));
    const request = jsonRequest(batchOf(spanSpec())) as any;
    Object.assign(request.resourceSpans[0].scopeSpans[0].spans[0], {
      flags: String(REMOTE_PARENT_SAMPLED),
      dropped_attributes_count: '12',
      droppedEventsCount: '3',
      droppedLinksCount: 1,
    });
    const asStrings = new TextEncoder().encode(JSON.stringify(request));
    for (const body of [asNumbers, asStrings]) {
      const result = receiveTraces({ contentType: JSON_TYPE, body });
      expect(result).toMatchObject({ status: 200, rejected: 0 });
      expect(result.spans[0]).toMatchObject({ flags: REMOTE_PARENT_SAMPLED, ...COUNTS });
    }
  });

  it.each([
    ['flags', -1],
    ['flags', 2 ** 32],
    ['flags', 1.5],
    ['flags', '0x301'],
    ['droppedAttributesCount', true],
    ['droppedEventsCount', '-3'],
    ['droppedLinksCount', {}],
  ])('refuses an OTLP/JSON body whose span has %s %j, keeping nothing', (name, value) => {
    const request = jsonRequest(batchOf(spanSpec(), spanSpec({ spanId: 'c'.repeat(16) }))) as any;
    request.resourceSpans[0].scopeSpans[0].spans[1][name] = value;
    const result = receiveTraces({
      contentType: JSON_TYPE,
      body: new TextEncoder().encode(JSON.stringify(request)),
    });
    expect(result).toMatchObject({ status: 400, spans: [] });
    expect(result.error).toContain(`spans[1].${name} is not a uint32`);
  });
});
