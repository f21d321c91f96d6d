// The processors' Shutdown and ForceFlush against the OpenTelemetry specification,
// specification/trace/sdk.md, "Span processor": "Shutdown MUST include the effects of
// ForceFlush"; "After the call to Shutdown, subsequent calls to OnStart, OnEnd, or ForceFlush are
// not allowed. SDKs SHOULD ignore these calls gracefully"; "Shutdown SHOULD be called only once".
import { describe, expect, it } from 'vitest';
import { captureDiag } from '../../test/helpers/test-provider';
import type { FinishedSpan } from '../export/finished-span';
import { type ExportResult, ExportResultCode, type SpanExporter } from '../export/span-exporter';
import { TracerProvider } from '../trace/tracer-provider';
import { BatchSpanProcessor } from './batch-span-processor';
import { SimpleSpanProcessor } from './simple-span-processor';
import type { SpanProcessor } from './span-processor';

/** Records the calls it gets, in order. */
class CallLog implements SpanExporter {
  readonly calls: string[] = [];
  export(spans: FinishedSpan[], done: (result: ExportResult) => void): void {
    this.calls.push(`export ${spans.length}`);
    done({ code: ExportResultCode.SUCCESS });
  }
  async forceFlush(): Promise<void> {
    this.calls.push('forceFlush');
  }
  async shutdown(): Promise<void> {
    this.calls.push('shutdown');
  }
}

const processors: [string, (exporter: SpanExporter) => SpanProcessor][] = [
  ['BatchSpanProcessor', (e) => new BatchSpanProcessor(e, { env: {} })],
  ['SimpleSpanProcessor', (e) => new SimpleSpanProcessor(e)],
];

describe.each(processors)('%s', (_name, make) => {
  it('shutdown exports what is queued, flushes the exporter, then shuts it down, once', async () => {
    const exporter = new CallLog();
    const processor = make(exporter);
    const tracer = new TracerProvider({ env: {}, spanProcessors: [processor] }).getTracer('t');
    tracer.startSpan('a').end();
    await Promise.all([processor.shutdown(), processor.shutdown()]);
    expect(exporter.calls).toEqual(['export 1', 'forceFlush', 'shutdown']);
  });

  it('ignores forceFlush and ended spans after shutdown: the shut exporter gets no call', async () => {
    const exporter = new CallLog();
    const processor = make(exporter);
    const tracer = new TracerProvider({ env: {}, spanProcessors: [processor] }).getTracer('t');
    await processor.shutdown();
    const calls = exporter.calls.length;
    tracer.startSpan('late').end();
    await processor.forceFlush();
    expect(exporter.calls.slice(calls)).toEqual([]);
  });

  it('shuts the exporter down even when its forceFlush fails (SpanExporter Shutdown: "Called when SDK is shut down")', async () => {
    const exporter = new CallLog();
    exporter.forceFlush = async () => {
      exporter.calls.push('forceFlush');
      throw new Error('flush failed');
    };
    const capture = captureDiag();
    try {
      const processor = make(exporter);
      const tracer = new TracerProvider({ env: {}, spanProcessors: [processor] }).getTracer('t');
      tracer.startSpan('a').end();
      await processor.shutdown();
      expect(exporter.calls).toEqual(['export 1', 'forceFlush', 'shutdown']);
      expect(capture.text()).toMatch(/forceFlush failed: flush failed/);
    } finally {
      capture.restore();
    }
  });
});
