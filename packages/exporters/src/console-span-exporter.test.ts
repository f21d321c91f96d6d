import { type ExportResult, ExportResultCode } from '@spanlite/core';
import { describe, expect, it, vi } from 'vitest';
import { finishedSpan, hexId } from '../test/fixtures/finished-spans';
import { ConsoleSpanExporter, formatDuration, formatTraces } from './console-span-exporter';

function trace() {
  const traceId = hexId(16);
  const ctx = (spanId: string) => ({ traceId, spanId, traceFlags: 1 });
  const root = finishedSpan({
    name: 'GET /checkout',
    kind: 1,
    traceId,
    spanId: 'a'.repeat(16),
    start: [10, 0],
    end: [10, 41_200_000],
  });
  const charge = finishedSpan({
    name: 'charge',
    kind: 2,
    traceId,
    parent: ctx('a'.repeat(16)),
    start: [10, 5_000_000],
    end: [10, 40_000_000],
    status: { code: 2, message: 'card declined' },
  });
  const load = finishedSpan({
    name: 'load cart',
    traceId,
    spanId: 'b'.repeat(16),
    parent: ctx('a'.repeat(16)),
    start: [10, 1_000_000],
    end: [10, 4_100_000],
  });
  const query = finishedSpan({
    name: 'SELECT cart',
    traceId,
    parent: ctx('b'.repeat(16)),
    start: [10, 1_500_000],
    end: [10, 2_300_000],
  });
  return { traceId, spans: [query, charge, load, root] };
}

describe('ConsoleSpanExporter', () => {
  it('prints each trace as a tree, children in start order, with durations', () => {
    const { traceId, spans } = trace();
    const orphan = finishedSpan({
      name: 'late child',
      parent: { traceId: hexId(16), spanId: 'f'.repeat(16), traceFlags: 1, isRemote: true },
    });
    const texts = formatTraces([...spans, orphan]);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toBe(
      [
        `trace ${traceId}`,
        '└─ GET /checkout  41.2 ms  server',
        '   ├─ load cart  3.10 ms',
        '   │  └─ SELECT cart  800 µs',
        '   └─ charge  35.0 ms  client  ERROR card declined',
      ].join('\n'),
    );
    expect(texts[1]).toMatch(/└─ late child {2}5\.00 ms$/);
  });

  it('writes through console.log by default and succeeds', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const done = vi.fn();
    new ConsoleSpanExporter().export(trace().spans, done);
    expect(log).toHaveBeenCalledTimes(1);
    expect(done).toHaveBeenCalledWith({ code: ExportResultCode.SUCCESS });
    log.mockRestore();
  });

  it('reports a throwing writer as a failed export instead of throwing', () => {
    const done = vi.fn();
    const exporter = new ConsoleSpanExporter({
      write: () => {
        throw new Error('closed');
      },
    });
    expect(() => exporter.export(trace().spans, done)).not.toThrow();
    expect(done.mock.calls[0]![0].code).toBe(ExportResultCode.FAILED);
  });

  it('formats durations in µs, ms and s', () => {
    expect(formatDuration([0, 1_234])).toBe('1.23 µs');
    expect(formatDuration([0, 999_000])).toBe('999 µs');
    expect(formatDuration([0, 12_345_678])).toBe('12.3 ms');
    expect(formatDuration([2, 500_000_000])).toBe('2.50 s');
  });

  it('picks the unit after rounding: no "1000 µs", "1.00e+3 ms" or "1.00e+3 s" at a boundary', () => {
    expect(formatDuration([0, 999_400])).toBe('999 µs');
    expect(formatDuration([0, 999_600])).toBe('1.00 ms');
    expect(formatDuration([0, 999_499_000])).toBe('999 ms');
    expect(formatDuration([0, 999_500_000])).toBe('1.00 s');
    expect(formatDuration([0, 999_999_999])).toBe('1.00 s');
    expect(formatDuration([999, 400_000_000])).toBe('999 s');
    expect(formatDuration([999, 600_000_000])).toBe('1000 s');
    expect(formatDuration([4000, 0])).toBe('4000 s');
  });

  it('trace/sdk.md Export: calls the result callback once, even when the callback throws', () => {
    const exporter = new ConsoleSpanExporter({ write: () => {} });
    const done = vi.fn((_result: ExportResult) => {
      throw new Error('the caller failed');
    });
    expect(() => exporter.export(trace().spans, done)).toThrow('the caller failed');
    expect(done).toHaveBeenCalledTimes(1);
    expect(done.mock.calls[0]![0].code).toBe(ExportResultCode.SUCCESS);
  });

  it('trace/sdk.md Shutdown: "subsequent calls to Export are not allowed and SHOULD return a Failure result"', async () => {
    const write = vi.fn();
    const exporter = new ConsoleSpanExporter({ write });
    await exporter.shutdown();
    const done = vi.fn();
    exporter.export(trace().spans, done);
    expect(write).not.toHaveBeenCalled();
    expect(done).toHaveBeenCalledTimes(1);
    expect(done.mock.calls[0]![0].code).toBe(ExportResultCode.FAILED);
  });
});
