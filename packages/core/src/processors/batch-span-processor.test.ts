import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureDiag } from '../../test/helpers/test-provider';
import type { FinishedSpan } from '../export/finished-span';
import { type ExportResult, ExportResultCode, type SpanExporter } from '../export/span-exporter';
import { TracerProvider } from '../trace/tracer-provider';
import { BatchSpanProcessor } from './batch-span-processor';

/** An exporter whose calls complete when the test says so. */
class ManualExporter implements SpanExporter {
  readonly calls: Array<{ spans: FinishedSpan[]; done: (r: ExportResult) => void }> = [];
  shutdownCalled = false;
  export(spans: FinishedSpan[], done: (r: ExportResult) => void): void {
    this.calls.push({ spans, done });
  }
  completeAll(code: 0 | 1 = ExportResultCode.SUCCESS): void {
    for (const call of this.calls.splice(0)) call.done({ code });
  }
  async shutdown(): Promise<void> {
    this.shutdownCalled = true;
  }
}

function setup(options: ConstructorParameters<typeof BatchSpanProcessor>[1] = {}) {
  const exporter = new ManualExporter();
  const processor = new BatchSpanProcessor(exporter, { env: {}, ...options });
  const provider = new TracerProvider({ env: {}, spanProcessors: [processor] });
  const tracer = provider.getTracer('test');
  const endSpans = (n: number, prefix = 's') => {
    for (let i = 0; i < n; i++) tracer.startSpan(`${prefix}${i}`).end();
  };
  return { exporter, processor, provider, tracer, endSpans };
}

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

let capture: ReturnType<typeof captureDiag> | undefined;
afterEach(() => {
  capture?.restore();
  capture = undefined;
});

describe('BatchSpanProcessor', () => {
  it('exports at the default batch size of 512', async () => {
    const { exporter, endSpans } = setup();
    endSpans(511);
    await tick(5);
    expect(exporter.calls).toHaveLength(0);
    endSpans(1, 'last');
    await vi.waitFor(() => expect(exporter.calls).toHaveLength(1));
    expect(exporter.calls[0]!.spans).toHaveLength(512);
  });

  it("clears its timer once a flush drains the queue where timers are numbers (can't be unref'd)", async () => {
    // Next.js's edge sandbox and Deno return numbers from setTimeout: a pending schedule timer
    // kept `next start` under Deno from exiting for up to OTEL_BSP_SCHEDULE_DELAY after SIGTERM
    const original = { set: globalThis.setTimeout, clear: globalThis.clearTimeout };
    const pending = new Map<number, ReturnType<typeof setTimeout>>();
    let nextId = 1e9; // apart from the runtime's own numbers
    globalThis.setTimeout = ((callback: () => void, ms?: number) => {
      // the schedule's timers only (the test's own waits use timers too)
      if (ms !== 60_000) return original.set(callback, ms);
      const id = nextId++;
      pending.set(
        id,
        original.set(() => {
          pending.delete(id);
          callback();
        }, ms),
      );
      return id;
    }) as unknown as typeof setTimeout;
    globalThis.clearTimeout = ((id: ReturnType<typeof setTimeout> | number) => {
      const timer = typeof id === 'number' ? pending.get(id) : undefined;
      if (timer === undefined) return original.clear(id);
      original.clear(timer);
      pending.delete(id as number);
    }) as typeof clearTimeout;
    try {
      const { exporter, processor, endSpans } = setup({ scheduledDelayMillis: 60_000 });
      endSpans(3);
      expect(pending.size).toBe(1);
      const flushed = processor.forceFlush();
      await vi.waitFor(() => expect(exporter.calls).toHaveLength(1));
      exporter.completeAll();
      await flushed;
      await tick();
      expect(pending.size).toBe(0);
      // the next span arms the schedule again, and the timer still exports it
      endSpans(1, 'later');
      expect(pending.size).toBe(1);
      const down = processor.shutdown();
      await vi.waitFor(() => expect(exporter.calls).toHaveLength(1));
      exporter.completeAll();
      await down;
    } finally {
      globalThis.setTimeout = original.set;
      globalThis.clearTimeout = original.clear;
    }
  });

  it('reads OTEL_BSP_* variables and drops what overflows the queue, counted', async () => {
    capture = captureDiag();
    const exporter = new ManualExporter();
    const fromEnv = new BatchSpanProcessor(exporter, {
      env: {
        OTEL_BSP_MAX_QUEUE_SIZE: '4',
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2',
        OTEL_BSP_SCHEDULE_DELAY: '60000',
      },
    });
    const provider = new TracerProvider({ env: {}, spanProcessors: [fromEnv] });
    const tracer = provider.getTracer('t');
    for (let i = 0; i < 6; i++) tracer.startSpan(`s${i}`).end();
    await vi.waitFor(() => expect(exporter.calls).toHaveLength(1));
    expect(exporter.calls[0]!.spans).toHaveLength(2);
    expect(fromEnv.stats()).toMatchObject({ droppedQueueFull: 2, queued: 2 });
    exporter.completeAll();
    await vi.waitFor(() => expect(exporter.calls).toHaveLength(1));
    exporter.completeAll();
    await fromEnv.forceFlush();
    expect(fromEnv.stats()).toMatchObject({ exported: 4, queued: 0, droppedQueueFull: 2 });
    expect(capture.messages.filter((m) => /queue full/.test(m.message))).toHaveLength(1);
  });

  it('exports a full batch at once and a partial batch after the schedule delay', async () => {
    const { exporter, endSpans } = setup({ maxExportBatchSize: 3, scheduledDelayMillis: 40 });
    endSpans(3, 'full');
    await tick();
    expect(exporter.calls).toHaveLength(1);
    exporter.completeAll();
    endSpans(1, 'partial');
    await tick(5);
    expect(exporter.calls).toHaveLength(0);
    await vi.waitFor(() => expect(exporter.calls).toHaveLength(1), { timeout: 1000 });
    expect(exporter.calls[0]!.spans.map((s) => s.name)).toEqual(['partial0']);
  });

  it('runs one export at a time, so the queue is the only buffer', async () => {
    const { exporter, endSpans } = setup({ maxExportBatchSize: 2, maxQueueSize: 10 });
    endSpans(8);
    await tick(5);
    expect(exporter.calls).toHaveLength(1);
    exporter.completeAll();
    await tick(5);
    expect(exporter.calls).toHaveLength(1);
  });

  it('forceFlush resolves only after every span queued before it was exported', async () => {
    const { exporter, processor, endSpans } = setup({
      maxExportBatchSize: 2,
      scheduledDelayMillis: 60000,
    });
    endSpans(5);
    let flushed = false;
    const flush = processor.forceFlush().then(() => {
      flushed = true;
    });
    const exportedNames: string[] = [];
    for (let round = 0; round < 3; round++) {
      await vi.waitFor(() => expect(exporter.calls.length).toBe(1));
      expect(flushed).toBe(false);
      exportedNames.push(...exporter.calls[0]!.spans.map((s) => s.name));
      exporter.completeAll();
    }
    await flush;
    expect(exportedNames).toEqual(['s0', 's1', 's2', 's3', 's4']);
  });

  it('counts a failed export as dropped, reports it once, and goes on', async () => {
    capture = captureDiag();
    const { exporter, processor, endSpans } = setup({ maxExportBatchSize: 1 });
    endSpans(3);
    for (let i = 0; i < 3; i++) {
      await vi.waitFor(() => expect(exporter.calls.length).toBe(1));
      exporter.completeAll(ExportResultCode.FAILED);
    }
    await processor.forceFlush();
    expect(processor.stats()).toMatchObject({ failed: 3, exported: 0 });
    expect(capture.messages.filter((m) => /export failed/.test(m.message))).toHaveLength(1);
  });

  it('times out an export, but starts the next one only once the exporter has answered', async () => {
    // SDK specification: "Export will never be called concurrently for the same exporter instance"
    capture = captureDiag();
    const { exporter, processor, endSpans } = setup({ exportTimeoutMillis: 30 });
    endSpans(1, 'a');
    void processor.forceFlush();
    await tick(60);
    expect(processor.stats()).toMatchObject({ failed: 1 });
    expect(capture.text()).toMatch(/timed out after 30 ms/);
    endSpans(1, 'b');
    void processor.forceFlush();
    await tick(60);
    expect(exporter.calls).toHaveLength(1);
    // the late answer to the first export: the next one starts
    exporter.calls[0]!.done({ code: ExportResultCode.SUCCESS });
    await tick();
    expect(exporter.calls.map((call) => call.spans[0]!.name)).toEqual(['a0', 'b0']);
    exporter.calls[1]!.done({ code: ExportResultCode.SUCCESS });
    await processor.forceFlush();
    expect(processor.stats()).toMatchObject({ failed: 1, exported: 1 });
  });

  it('survives an exporter that throws', async () => {
    capture = captureDiag();
    const throwing: SpanExporter = {
      export() {
        throw new Error('exporter bug');
      },
      shutdown: async () => {},
    };
    const processor = new BatchSpanProcessor(throwing, { env: {}, exportTimeoutMillis: 30 });
    const provider = new TracerProvider({ env: {}, spanProcessors: [processor] });
    expect(() => provider.getTracer('t').startSpan('s').end()).not.toThrow();
    await processor.forceFlush();
    expect(processor.stats()).toMatchObject({ failed: 1 });
    expect(capture.text()).toMatch(/exporter bug/);
  });

  it('ignores spans that were not sampled', async () => {
    const exporter = new ManualExporter();
    const processor = new BatchSpanProcessor(exporter, { env: {} });
    const provider = new TracerProvider({
      env: {},
      sampler: {
        shouldSample: () => ({ decision: 1 }),
        toString: () => 'RecordOnly',
      },
      spanProcessors: [processor],
    });
    const span = provider.getTracer('t').startSpan('record-only');
    expect(span.isRecording()).toBe(true);
    span.end();
    await processor.forceFlush();
    expect(exporter.calls).toHaveLength(0);
  });

  it('shutdown flushes, shuts the exporter down, then ignores new spans', async () => {
    const { exporter, processor, provider, tracer, endSpans } = setup({
      scheduledDelayMillis: 60000,
    });
    endSpans(2);
    const shutdown = provider.shutdown();
    await vi.waitFor(() => expect(exporter.calls).toHaveLength(1));
    exporter.completeAll();
    await shutdown;
    expect(exporter.shutdownCalled).toBe(true);
    tracer.startSpan('after').end();
    processor.onEnd(exporter as never);
    await processor.forceFlush();
    expect(exporter.calls).toHaveLength(0);
    expect(processor.stats().exported).toBe(2);
    expect(processor.shutdown()).toBe(processor.shutdown());
  });
});
