/**
 * SimpleSpanProcessor against specification/trace/sdk.md ("Simple processor", "Span Exporter":
 * Export is never called concurrently for the same exporter instance).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { captureDiag, createTestProvider } from '../../test/helpers/test-provider';
import type { FinishedSpan } from '../export/finished-span';
import { type ExportResult, ExportResultCode, type SpanExporter } from '../export/span-exporter';
import { SamplingDecision } from '../samplers/sampler';
import { SimpleSpanProcessor } from './simple-span-processor';

let capture: ReturnType<typeof captureDiag> | undefined;
afterEach(() => {
  capture?.restore();
  capture = undefined;
});

/** An exporter that answers only when told to, and notes how many exports overlap. */
class ManualExporter implements SpanExporter {
  readonly batches: string[][] = [];
  readonly pending: Array<(result: ExportResult) => void> = [];
  inFlight = 0;
  maxInFlight = 0;
  shutdowns = 0;

  export(spans: FinishedSpan[], done: (result: ExportResult) => void): void {
    this.batches.push(spans.map((s) => s.name));
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.pending.push((result) => {
      this.inFlight--;
      done(result);
    });
  }

  /** Completes the oldest export still waiting. */
  finishOne(code: ExportResult['code'] = ExportResultCode.SUCCESS): void {
    this.pending.shift()!({ code });
  }

  async shutdown(): Promise<void> {
    this.shutdowns++;
  }
}

function setup(exporter: SpanExporter, timeoutMs?: number, sampler?: 'always_off') {
  const processor = new SimpleSpanProcessor(exporter, timeoutMs);
  const { provider, tracer } = createTestProvider({ spanProcessors: [processor], sampler });
  return { provider, tracer, processor };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('SimpleSpanProcessor', () => {
  it('never calls Export while an earlier Export has not returned its result', async () => {
    const exporter = new ManualExporter();
    const { tracer, processor } = setup(exporter);
    tracer.startSpan('a').end();
    tracer.startSpan('b').end();
    tracer.startSpan('c').end();
    expect(exporter.batches).toEqual([['a']]);
    exporter.finishOne();
    expect(exporter.batches).toEqual([['a'], ['b']]);
    exporter.finishOne();
    exporter.finishOne();
    await processor.forceFlush();
    expect(exporter.batches).toEqual([['a'], ['b'], ['c']]);
    expect(exporter.maxInFlight).toBe(1);
  });

  it('exports a span as it ends when the exporter is idle (a synchronous exporter sees it at once)', () => {
    const { tracer, spans } = createTestProvider();
    tracer.startSpan('a').end();
    expect(spans.map((s) => s.name)).toEqual(['a']);
    tracer.startSpan('b').end();
    expect(spans.map((s) => s.name)).toEqual(['a', 'b']);
  });

  it('ForceFlush resolves only once every ended span was exported', async () => {
    const exporter = new ManualExporter();
    const { tracer, processor } = setup(exporter);
    tracer.startSpan('a').end();
    tracer.startSpan('b').end();
    let flushed = false;
    const flush = processor.forceFlush().then(() => {
      flushed = true;
    });
    await tick();
    expect(flushed).toBe(false);
    exporter.finishOne();
    await tick();
    expect(flushed).toBe(false);
    exporter.finishOne();
    await flush;
    expect(exporter.batches).toEqual([['a'], ['b']]);
  });

  it('reports a timed-out export once, and exports the next span only once the exporter answers', async () => {
    // "MUST synchronize calls to Span Exporter's Export to make sure that they are not invoked
    // concurrently"
    capture = captureDiag();
    const exporter = new ManualExporter();
    const { tracer, processor } = setup(exporter, 10);
    tracer.startSpan('a').end();
    tracer.startSpan('b').end();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(exporter.batches).toEqual([['a']]);
    expect(capture.text().match(/timed out/g)).toHaveLength(1);
    // the late answer to the first export: the next one starts
    exporter.finishOne();
    expect(exporter.batches).toEqual([['a'], ['b']]);
    exporter.finishOne();
    await processor.forceFlush();
    expect(capture.text().match(/timed out/g)).toHaveLength(1);
  });

  it.each([
    ['throws', false],
    ['is async and rejects (reported as a failed export)', true],
  ])('moves on after an exporter that %s', async (_kind, async) => {
    capture = captureDiag();
    const names: string[] = [];
    const exportOne = (spans: FinishedSpan[], done: (result: ExportResult) => void) => {
      names.push(spans[0]!.name);
      if (spans[0]!.name === 'a') throw new Error('broken exporter');
      done({ code: ExportResultCode.SUCCESS });
    };
    const exporter: SpanExporter = {
      export: async ? async (spans, done) => exportOne(spans, done) : exportOne,
      shutdown: async () => {},
    };
    const { tracer, processor } = setup(exporter);
    tracer.startSpan('a').end();
    tracer.startSpan('b').end();
    await processor.forceFlush();
    expect(names).toEqual(['a', 'b']);
    expect(capture.text()).toMatch(/broken exporter/);
  });

  it('exports only sampled spans: a RECORD_ONLY span reaches onEnd but not the exporter', async () => {
    const exporter = new ManualExporter();
    const processor = new SimpleSpanProcessor(exporter);
    const { tracer } = createTestProvider({
      spanProcessors: [processor],
      sampler: {
        shouldSample: () => ({ decision: SamplingDecision.RECORD }),
        toString: () => 'RecordOnly',
      },
    });
    const span = tracer.startSpan('recorded only');
    expect(span.isRecording()).toBe(true);
    span.end();
    await processor.forceFlush();
    expect(exporter.batches).toEqual([]);
  });

  it('Shutdown exports what is queued, then shuts the exporter down once; later spans are ignored', async () => {
    const exporter = new ManualExporter();
    const { tracer, processor } = setup(exporter);
    tracer.startSpan('a').end();
    tracer.startSpan('b').end();
    const first = processor.shutdown();
    const second = processor.shutdown();
    exporter.finishOne();
    exporter.finishOne();
    await Promise.all([first, second]);
    tracer.startSpan('late').end();
    expect(exporter.batches).toEqual([['a'], ['b']]);
    expect(exporter.shutdowns).toBe(1);
  });
});
