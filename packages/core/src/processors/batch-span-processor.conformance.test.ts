// OTEL_BSP_* against the OpenTelemetry specification,
// specification/configuration/sdk-environment-variables.md: "Batch Span Processor" (types and
// valid ranges), "Numeric" (invalid or out-of-range values: warn, treat as not set), "Duration",
// "Timeout" (0 means indefinite) and "Parsing empty value".
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureDiag } from '../../test/helpers/test-provider';
import type { FinishedSpan } from '../export/finished-span';
import { type ExportResult, ExportResultCode, type SpanExporter } from '../export/span-exporter';
import { TracerProvider } from '../trace/tracer-provider';
import { BatchSpanProcessor, type BatchSpanProcessorOptions } from './batch-span-processor';

/** Records each export; `answerAfter` ms later it reports success (never, if undefined). */
class RecordingExporter implements SpanExporter {
  readonly batches: FinishedSpan[][] = [];
  readonly results: ExportResult[] = [];
  constructor(private readonly _answerAfter?: number) {}
  export(spans: FinishedSpan[], done: (result: ExportResult) => void): void {
    this.batches.push(spans);
    if (this._answerAfter !== undefined) {
      setTimeout(() => done({ code: ExportResultCode.SUCCESS }), this._answerAfter);
    }
  }
  async shutdown(): Promise<void> {}
}

function pipeline(options: BatchSpanProcessorOptions, exporter = new RecordingExporter(0)) {
  const processor = new BatchSpanProcessor(exporter, options);
  const provider = new TracerProvider({ env: {}, spanProcessors: [processor] });
  const tracer = provider.getTracer('conformance');
  const end = (n: number) => {
    for (let i = 0; i < n; i++) tracer.startSpan(`s${i}`).end();
  };
  return { exporter, processor, end };
}

let capture: ReturnType<typeof captureDiag> | undefined;
afterEach(() => {
  capture?.restore();
  capture = undefined;
});

const warnings = () => capture!.messages.filter((m) => m.level === 'warn' || m.level === 'error');

describe('OTEL_BSP_SCHEDULE_DELAY (Duration: non-negative milliseconds)', () => {
  it('0 is a valid duration: a lone span is exported at once, not after the 5 s default', async () => {
    capture = captureDiag();
    const { exporter, end } = pipeline({ env: { OTEL_BSP_SCHEDULE_DELAY: '0' } });
    end(1);
    await vi.waitFor(() => expect(exporter.batches).toHaveLength(1), { timeout: 1000 });
    expect(warnings()).toEqual([]);
  });

  it('a negative or non-integer value warns and is treated as not set', async () => {
    capture = captureDiag();
    for (const value of ['-1', '1.5', 'soon']) {
      const { exporter, end, processor } = pipeline({ env: { OTEL_BSP_SCHEDULE_DELAY: value } });
      end(1);
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(exporter.batches).toHaveLength(0); // still waiting for the 5 s default
      await processor.shutdown();
    }
    expect(warnings()).toHaveLength(3);
  });
});

describe('OTEL_BSP_EXPORT_TIMEOUT (Timeout: 0 means indefinite)', () => {
  it('0 puts no time limit on an export: not the 30 s default, the longest timer there is', async () => {
    capture = captureDiag();
    const delays: Array<number | undefined> = [];
    const original = globalThis.setTimeout;
    globalThis.setTimeout = ((callback: () => void, ms?: number) => {
      delays.push(ms);
      return original(callback, ms);
    }) as typeof setTimeout;
    try {
      const { exporter, end, processor } = pipeline(
        { env: { OTEL_BSP_EXPORT_TIMEOUT: '0', OTEL_BSP_SCHEDULE_DELAY: '0' } },
        new RecordingExporter(10),
      );
      end(2);
      await processor.forceFlush();
      expect(exporter.batches).toHaveLength(1);
      expect(processor.stats()).toMatchObject({ exported: 2, failed: 0 });
    } finally {
      globalThis.setTimeout = original;
    }
    expect(delays).toContain(2 ** 31 - 1);
    expect(delays).not.toContain(30_000);
    expect(warnings()).toEqual([]);
  });

  it('a value beyond what timers accept is capped, not turned into an instant time-out', async () => {
    capture = captureDiag();
    const { end, processor } = pipeline(
      { env: { OTEL_BSP_EXPORT_TIMEOUT: '99999999999', OTEL_BSP_SCHEDULE_DELAY: '0' } },
      new RecordingExporter(40),
    );
    end(2);
    await processor.forceFlush();
    expect(processor.stats()).toMatchObject({ exported: 2, failed: 0 });
    expect(warnings()).toEqual([]);
  });
});

describe('OTEL_BSP_MAX_QUEUE_SIZE / OTEL_BSP_MAX_EXPORT_BATCH_SIZE (Integer, valid values positive)', () => {
  it('0 is out of range: it warns and the default applies', async () => {
    capture = captureDiag();
    const { exporter, end } = pipeline({
      env: { OTEL_BSP_MAX_QUEUE_SIZE: '0', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '0' },
    });
    end(511);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(exporter.batches).toHaveLength(0); // batch size 512: not full yet
    end(1);
    await vi.waitFor(() => expect(exporter.batches).toHaveLength(1));
    expect(exporter.batches[0]).toHaveLength(512);
    expect(warnings()).toHaveLength(2);
  });

  it('a batch size above the queue size is reduced to the queue size, with a warning', async () => {
    capture = captureDiag();
    const { exporter, end } = pipeline({
      env: { OTEL_BSP_MAX_QUEUE_SIZE: '3', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '10' },
    });
    end(3);
    await vi.waitFor(() => expect(exporter.batches).toHaveLength(1));
    expect(exporter.batches[0]).toHaveLength(3);
    expect(warnings()).toHaveLength(1);
  });

  it('empty values are unset (Parsing empty value), without a warning', async () => {
    capture = captureDiag();
    const { exporter, end } = pipeline({
      env: { OTEL_BSP_MAX_QUEUE_SIZE: '', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: ' ' },
    });
    end(512);
    await vi.waitFor(() => expect(exporter.batches).toHaveLength(1));
    expect(exporter.batches[0]).toHaveLength(512);
    expect(warnings()).toEqual([]);
  });

  it('code options win over the environment', async () => {
    const { exporter, end } = pipeline({
      maxExportBatchSize: 2,
      env: { OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '5' },
    });
    end(2);
    await vi.waitFor(() => expect(exporter.batches).toHaveLength(1));
    expect(exporter.batches[0]).toHaveLength(2);
  });
});
