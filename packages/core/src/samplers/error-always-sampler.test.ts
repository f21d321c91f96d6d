import { type Context, ROOT_CONTEXT, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { captureDiag, createTestProvider } from '../../test/helpers/test-provider';
import { setSamplingHint } from '../context/sampling-hint';
import { isTraceSegmentKept, keepTraceSegment } from './keep-trace-segment';

const errorAlways = (extra = {}) =>
  createTestProvider({ sampler: 'parentbased_traceidratio', ratio: 0, errors: 'always', ...extra });

const under = (span: Span): Context => trace.setSpan(ROOT_CONTEXT, span);

let capture: ReturnType<typeof captureDiag> | undefined;
afterEach(() => {
  capture?.restore();
  capture = undefined;
});

describe('error-always sampling', () => {
  it('exports the whole local segment when one span ends with ERROR, even at ratio 0', () => {
    const { tracer, spans } = errorAlways();
    const root = tracer.startSpan('root');
    const ok = tracer.startSpan('ok', {}, under(root));
    const failing = tracer.startSpan('failing', {}, under(root));
    const grandchild = tracer.startSpan('grandchild', {}, under(failing));
    ok.end();
    grandchild.end();
    expect(spans).toHaveLength(0);
    failing.setStatus({ code: SpanStatusCode.ERROR });
    failing.end();
    root.end();
    expect(spans.map((s) => s.name).sort()).toEqual(['failing', 'grandchild', 'ok', 'root']);
    for (const span of spans) expect(span.spanContext().traceFlags & 1).toBe(1);
    const traceIds = new Set(spans.map((s) => s.spanContext().traceId));
    expect(traceIds.size).toBe(1);
  });

  it('discards a segment without errors when its local root ends', () => {
    const { tracer, spans, provider } = errorAlways();
    const root = tracer.startSpan('root');
    tracer.startSpan('child', {}, under(root)).end();
    root.end();
    expect(spans).toHaveLength(0);
    expect(provider.errorBufferStats()).toMatchObject({ bufferedSpans: 0, discardedSegments: 1 });
  });

  it('treats a recorded exception as an error', () => {
    const { tracer, spans } = errorAlways();
    const root = tracer.startSpan('root');
    root.recordException(new Error('boom'));
    root.end();
    expect(spans.map((s) => s.name)).toEqual(['root']);
  });

  it('lets spans that end after the decision follow it', () => {
    const { tracer, spans } = errorAlways();
    const kept = tracer.startSpan('kept-root');
    const lateKept = tracer.startSpan('late-kept', {}, under(kept));
    kept.setStatus({ code: SpanStatusCode.ERROR });
    kept.end();
    lateKept.end();
    const dropped = tracer.startSpan('dropped-root');
    const lateDropped = tracer.startSpan('late-dropped', {}, under(dropped));
    dropped.end();
    lateDropped.setStatus({ code: SpanStatusCode.ERROR });
    lateDropped.end();
    expect(spans.map((s) => s.name).sort()).toEqual(['kept-root', 'late-kept']);
  });

  it('keeps a segment forced from outside (a downstream service kept the trace)', () => {
    const { tracer, spans } = errorAlways();
    const root = tracer.startSpan('root');
    const call = tracer.startSpan('fetch', {}, under(root));
    expect(keepTraceSegment(under(call))).toBe(true);
    call.end();
    root.end();
    expect(spans.map((s) => s.name).sort()).toEqual(['fetch', 'root']);
  });

  it('tells while the root is open whether its segment is kept (for a traceresponse)', () => {
    const { tracer } = errorAlways();
    const root = tracer.startSpan('root');
    const call = tracer.startSpan('fetch', {}, under(root));
    expect(isTraceSegmentKept(root)).toBe(false);
    call.setStatus({ code: SpanStatusCode.ERROR });
    call.end();
    // the root's own flags still say not sampled until it ends; the segment is kept
    expect(root.spanContext().traceFlags & 1).toBe(0);
    expect(isTraceSegmentKept(root)).toBe(true);
    expect(isTraceSegmentKept(under(root))).toBe(true);

    const other = tracer.startSpan('other');
    tracer.startSpan('fine', {}, under(other)).end();
    expect(isTraceSegmentKept(other)).toBe(false);
    other.end();
    // discarded; asking does not keep it
    expect(isTraceSegmentKept(other)).toBe(false);
    expect(isTraceSegmentKept(trace.wrapSpanContext(root.spanContext()))).toBe(false);
  });

  it('tells a sampled span kept, without error-always', () => {
    const sampled = createTestProvider({ sampler: 'always_on' }).tracer.startSpan('s');
    expect(isTraceSegmentKept(sampled)).toBe(true);
    const dropped = createTestProvider({ sampler: 'always_off' }).tracer.startSpan('d');
    expect(isTraceSegmentKept(dropped)).toBe(false);
  });

  it('exports exactly the segments that had an error (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.constantFrom('ok', 'error', 'exception'), { minLength: 0, maxLength: 5 }),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        (traces) => {
          const { tracer, spans } = errorAlways();
          const expected: string[] = [];
          traces.forEach((children, t) => {
            const root = tracer.startSpan(`t${t}`);
            children.forEach((outcome, c) => {
              const child = tracer.startSpan(`t${t}.c${c}`, {}, under(root));
              if (outcome === 'error') child.setStatus({ code: SpanStatusCode.ERROR });
              if (outcome === 'exception') child.recordException(new Error('x'));
              child.end();
            });
            root.end();
            if (children.some((o) => o !== 'ok')) {
              expected.push(`t${t}`, ...children.map((_, c) => `t${t}.c${c}`));
            }
          });
          expect(spans.map((s) => s.name).sort()).toEqual(expected.sort());
        },
      ),
    );
  });

  it('keeps memory under its cap during a flood of never-ending traces', () => {
    capture = captureDiag();
    const { tracer, provider } = errorAlways({
      errorBuffer: { maxBufferedSpans: 100, maxSpansPerSegment: 10 },
    });
    for (let t = 0; t < 2000; t++) {
      const root = tracer.startSpan(`never-ends-${t}`);
      for (let c = 0; c < 3; c++) tracer.startSpan('child', {}, under(root)).end();
      expect(provider.errorBufferStats()!.bufferedSpans).toBeLessThanOrEqual(100);
    }
    const stats = provider.errorBufferStats()!;
    expect(stats.bufferedSpans).toBeLessThanOrEqual(100);
    expect(stats.evictedSegments).toBeGreaterThan(0);
    expect(stats.droppedSpans).toBeGreaterThanOrEqual(2000 * 3 - 100);
    expect(capture.text()).toMatch(/maxBufferedSpans/);
  });

  it('caps the spans held per segment and counts the overflow', () => {
    capture = captureDiag();
    const { tracer, spans, provider } = errorAlways({ errorBuffer: { maxSpansPerSegment: 3 } });
    const root = tracer.startSpan('root');
    for (let c = 0; c < 5; c++) tracer.startSpan(`c${c}`, {}, under(root)).end();
    root.setStatus({ code: SpanStatusCode.ERROR });
    root.end();
    expect(spans.map((s) => s.name).sort()).toEqual(['c0', 'c1', 'c2', 'root']);
    expect(provider.errorBufferStats()!.droppedSpans).toBe(2);
  });

  it('still exports what the head sampler keeps, directly', () => {
    const { tracer, spans } = createTestProvider({ sampler: 'always_on', errors: 'always' });
    tracer.startSpan('sampled').end();
    expect(spans.map((s) => s.name)).toEqual(['sampled']);
  });

  it('is selected by SPANLITE_TRACES_ERRORS=always', () => {
    const { tracer, spans } = createTestProvider({
      env: { OTEL_TRACES_SAMPLER: 'always_off', SPANLITE_TRACES_ERRORS: 'always' },
    });
    const span = tracer.startSpan('s');
    expect(span.isRecording()).toBe(true);
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    expect(spans).toHaveLength(1);
  });
});

describe('sampling hints (a decision that arrived without a parent, as B3 "b3: 1")', () => {
  it('makes the next root span follow the hint through the parent-based sampler', () => {
    const { tracer } = createTestProvider({ sampler: 'parentbased_always_off' });
    expect(
      tracer.startSpan('s', {}, setSamplingHint(ROOT_CONTEXT, { sampled: true })).isRecording(),
    ).toBe(true);
    const { tracer: onTracer } = createTestProvider();
    expect(
      onTracer.startSpan('s', {}, setSamplingHint(ROOT_CONTEXT, { sampled: false })).isRecording(),
    ).toBe(false);
  });

  it('forces sampling for a debug hint', () => {
    const { tracer } = createTestProvider({ sampler: 'always_off' });
    expect(
      tracer
        .startSpan('s', {}, setSamplingHint(ROOT_CONTEXT, { sampled: false, debug: true }))
        .isRecording(),
    ).toBe(true);
  });
});
