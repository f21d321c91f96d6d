import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeSpan, spanIdOf, traceIdOf } from '../../test/store/make-span';
import { OLD_FORMAT_TRACE_ID, oldFormatFrame } from '../../test/store/old-format-log';
import { tableCrc32 } from './crc32';
import { encodeRecord, type LogRecord, scanFrames } from './log-record';

function scanAll(buffer: Buffer): { records: LogRecord[]; validLength: number; corrupt: boolean } {
  const records: LogRecord[] = [];
  const scan = scanFrames(buffer, (record) => records.push(record));
  return { records, ...scan };
}

describe('log records', () => {
  const spans = [
    makeSpan(traceIdOf(1), 0, { traceState: 'vendor=x', status: { code: 2, message: 'boom' } }),
    makeSpan(traceIdOf(1), 1, {
      events: [{ time: 12.25, name: 'exception', attributes: { 'exception.message': 'é ✓ 😀' } }],
      links: [
        { traceId: traceIdOf(9), spanId: '00000000000000aa', attributes: { a: [1, 'b', null] } },
      ],
      resource: { 'service.name': 'inventory' },
    }),
    makeSpan(traceIdOf(2), 0, { startTime: 1_763_900_000_123.25, endTime: 1_763_900_000_124.125 }),
  ];

  it('round-trips a batch: spans equal, time and new-trace indexes kept', () => {
    const { records, validLength, corrupt } = scanAll(encodeRecord(spans, 1234.5, [0, 2]));
    expect(corrupt).toBe(false);
    expect(validLength).toBeGreaterThan(0);
    expect(records).toHaveLength(1);
    expect(records[0]).toEqual({ at: 1234.5, spans, newTraces: [0, 2] });
    expect(records[0].spans[0]).toHaveProperty('parentSpanId', undefined);
  });

  it("round-trips a span's flags and dropped counts, and reads none for a span without them", () => {
    const flagged = [
      makeSpan(traceIdOf(3), 0, { parentSpanId: spanIdOf(9), flags: 0x301 }),
      makeSpan(traceIdOf(3), 1, {
        flags: 0x101,
        droppedAttributesCount: 12,
        droppedEventsCount: 0,
        droppedLinksCount: 2,
      }),
      makeSpan(traceIdOf(3), 2, { droppedEventsCount: 4 }),
      makeSpan(traceIdOf(3), 3),
    ];
    const [record] = scanAll(encodeRecord(flagged, 0, [0])).records;
    expect(
      record.spans.map(
        ({ flags, droppedAttributesCount, droppedEventsCount, droppedLinksCount }) => [
          flags,
          droppedAttributesCount,
          droppedEventsCount,
          droppedLinksCount,
        ],
      ),
    ).toEqual([
      [0x301, undefined, undefined, undefined],
      [0x101, 12, undefined, 2],
      [undefined, undefined, 4, undefined],
      [undefined, undefined, undefined, undefined],
    ]);
  });

  it('reads a record written before flags and dropped counts were kept (16 positions a span)', () => {
    const { records, corrupt } = scanAll(oldFormatFrame());
    expect(corrupt).toBe(false);
    expect(records).toHaveLength(1);
    const [server, query] = records[0].spans;
    expect(server).toEqual({
      traceId: OLD_FORMAT_TRACE_ID,
      spanId: '1111111111111111',
      parentSpanId: 'eee19b7ec3c1b174',
      name: 'GET /legacy',
      kind: 2,
      startTime: 1_763_900_000_000,
      endTime: 1_763_900_000_050,
      status: { code: 2, message: 'boom' },
      service: 'legacy',
      attributes: { 'http.route': '/legacy' },
      events: [],
      links: [],
      resource: { 'service.name': 'legacy' },
      scope: { name: '@acme/legacy', version: '1.0.0' },
      traceState: 'acme=1',
    });
    expect(query).toMatchObject({ parentSpanId: '1111111111111111', events: [{ name: 'retry' }] });
    for (const span of [server, query]) {
      expect(span.flags).toBeUndefined();
      expect(span.droppedAttributesCount).toBeUndefined();
    }
  });

  it('writes each resource once a batch and shares it again on reading', () => {
    const [record] = scanAll(encodeRecord(spans, 0, [])).records;
    expect(record.spans[0].resource).toBe(record.spans[2].resource);
    expect(record.spans[0].scope).toBe(record.spans[1].scope);
    expect(record.spans[1].resource).not.toBe(record.spans[0].resource);
  });

  it('stops at a frame cut short, and reads every whole frame before it', () => {
    const first = encodeRecord(spans.slice(0, 1), 1, [0]);
    const second = encodeRecord(spans.slice(1), 2, [1]);
    const log = Buffer.concat([first, second]);
    for (const cut of [first.length + 3, first.length + 8, log.length - 1]) {
      const scan = scanAll(log.subarray(0, cut));
      expect(scan.records.map((record) => record.at)).toEqual([1]);
      expect(scan).toMatchObject({ validLength: first.length, corrupt: true });
    }
    expect(scanAll(log).records.map((record) => record.at)).toEqual([1, 2]);
  });

  it('stops at a frame whose bytes changed (CRC) or at garbage', () => {
    const first = encodeRecord(spans, 1, []);
    const flipped = Buffer.from(first);
    flipped[first.length - 5] ^= 0x01;
    expect(scanAll(Buffer.concat([first, flipped]))).toMatchObject({
      validLength: first.length,
      corrupt: true,
    });
    const garbage = Buffer.from('\u0000\u0000\u0010\u0000 not a frame at all, just bytes');
    const scan = scanAll(Buffer.concat([first, garbage]));
    expect(scan.records).toHaveLength(1);
    expect(scan).toMatchObject({ validLength: first.length, corrupt: true });
    expect(scanAll(Buffer.alloc(16))).toMatchObject({ validLength: 0, corrupt: true });
  });

  it('computes the same CRC-32 as zlib without it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(tableCrc32(bytes)).toBe(zlib.crc32(bytes));
      }),
    );
  });
});
