import { ExportResultCode } from '@spanlite/core';
import { describe, expect, it, vi } from 'vitest';
import { finishedSpan } from '../test/fixtures/finished-spans';
import { InMemorySpanExporter } from './in-memory-span-exporter';

describe('InMemorySpanExporter', () => {
  it('keeps exported spans until reset, and fails after shutdown', async () => {
    const exporter = new InMemorySpanExporter();
    const done = vi.fn();
    const [a, b] = [finishedSpan({ name: 'a' }), finishedSpan({ name: 'b' })];
    exporter.export([a], done);
    exporter.export([b], done);
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['a', 'b']);
    expect(done).toHaveBeenCalledWith({ code: ExportResultCode.SUCCESS });
    exporter.getFinishedSpans().pop();
    expect(exporter.getFinishedSpans()).toHaveLength(2);
    exporter.reset();
    expect(exporter.getFinishedSpans()).toEqual([]);
    await exporter.shutdown();
    exporter.export([a], done);
    expect(done).toHaveBeenLastCalledWith(
      expect.objectContaining({ code: ExportResultCode.FAILED }),
    );
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
