import { ROOT_CONTEXT, type SpanContext, SpanKind, trace } from '@opentelemetry/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTestProvider } from '../../test/helpers/test-provider';
import { createTraceState, parseTraceState } from '../propagation/trace-state';
import { SamplingDecision } from './sampler';
import { TraceIdRatioBasedSampler } from './trace-id-ratio-sampler';

const hexId = fc.stringMatching(/^[0-9a-f]{32}$/).filter((h) => !/^0+$/.test(h));
const ratio = fc.double({ min: 0, max: 1, noNaN: true });

/** The specification's rule, in exact integer arithmetic: sampled iff R >= T, T = (1 - p) * 2^56. */
function modelSampled(traceId: string, p: number): boolean {
  const r = BigInt(`0x${traceId.slice(18)}`);
  const t = BigInt(Math.round((1 - p) * 2 ** 56));
  return r >= t;
}

function sample(sampler: TraceIdRatioBasedSampler, traceId: string, traceState?: string) {
  let state = createTraceState();
  if (traceState) state = state.set('ot', traceState);
  const parent: SpanContext = {
    traceId,
    spanId: '00f067aa0ba902b7',
    traceFlags: 0,
    isRemote: true,
    traceState: traceState ? state : undefined,
  };
  return sampler.shouldSample(
    trace.setSpanContext(ROOT_CONTEXT, parent),
    traceId,
    'span',
    SpanKind.INTERNAL,
    {},
    [],
  );
}

describe('TraceIdRatioBased: consistent probability sampling', () => {
  it('decides by the least-significant 56 bits of the trace id against the threshold (spec: TraceIdRatioBased)', () => {
    fc.assert(
      fc.property(hexId, ratio, (traceId, p) => {
        const result = sample(new TraceIdRatioBasedSampler(p), traceId);
        const sampled = result.decision === SamplingDecision.RECORD_AND_SAMPLED;
        expect(sampled).toBe(modelSampled(traceId, p));
      }),
    );
  });

  it('gives the same decision in two independent providers for the same trace', () => {
    fc.assert(
      fc.property(hexId, ratio, (traceId, p) => {
        const parent = trace.setSpanContext(ROOT_CONTEXT, {
          traceId,
          spanId: '00f067aa0ba902b7',
          traceFlags: 1,
          isRemote: true,
        });
        const a = createTestProvider({ sampler: 'traceidratio', ratio: p });
        const b = createTestProvider({ sampler: 'traceidratio', ratio: p });
        const sa = a.tracer.startSpan('a', {}, parent);
        const sb = b.tracer.startSpan('b', {}, parent);
        expect(sa.isRecording()).toBe(sb.isRecording());
        expect(sa.spanContext().traceFlags & 1).toBe(sb.spanContext().traceFlags & 1);
      }),
    );
  });

  it('keeps a fraction of traces within statistical bounds of the ratio', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.99, noNaN: true }), (p) => {
        const { tracer } = createTestProvider({ sampler: 'traceidratio', ratio: p });
        const n = 4000;
        let kept = 0;
        for (let i = 0; i < n; i++) if (tracer.startSpan('root').isRecording()) kept++;
        const sigma = Math.sqrt(n * p * (1 - p));
        expect(Math.abs(kept - n * p)).toBeLessThan(6 * sigma + 1);
      }),
      { numRuns: 20 },
    );
  });

  it('is monotonic: a trace kept at one ratio is kept at every higher ratio', () => {
    fc.assert(
      fc.property(hexId, ratio, ratio, (traceId, p1, p2) => {
        const [low, high] = p1 < p2 ? [p1, p2] : [p2, p1];
        const keptLow = sample(new TraceIdRatioBasedSampler(low), traceId).decision === 2;
        const keptHigh = sample(new TraceIdRatioBasedSampler(high), traceId).decision === 2;
        if (keptLow) expect(keptHigh).toBe(true);
      }),
    );
  });

  it('rounds th to 4 significant hex digits, as the specification recommends (the table of "Converting probability to threshold with precision")', () => {
    const table: Array<[number, string]> = [
      [1 / 3, 'aaab'],
      [0.2, 'cccd'],
      [0.1, 'e666'],
      [0.0625, 'f'],
      [0.01, 'fd70a'],
      [0.001, 'ffbe77'],
      [0.0001, 'fff9724'],
      [0.00001, 'ffff583a'],
      [0.000001, 'ffffef39'],
    ];
    for (const [ratio, th] of table) expect(new TraceIdRatioBasedSampler(ratio).threshold).toBe(th);
    // the decision follows the rounded threshold: at 0.1, T = 0xe666 << 40, one below it is dropped
    const at = (rv: string) =>
      sample(new TraceIdRatioBasedSampler(0.1), `${'0'.repeat(18)}${rv}`).decision;
    expect(at('e6660000000000')).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(at('e665ffffffffff')).toBe(SamplingDecision.NOT_RECORD);
  });

  it('writes th, the threshold in hex without trailing zeros (spec: TraceState probability sampling)', () => {
    expect(new TraceIdRatioBasedSampler(1).threshold).toBe('0');
    expect(new TraceIdRatioBasedSampler(0.5).threshold).toBe('8');
    expect(new TraceIdRatioBasedSampler(0.25).threshold).toBe('c');
    expect(new TraceIdRatioBasedSampler(0.125).threshold).toBe('e');
    expect(new TraceIdRatioBasedSampler(0).threshold).toBeUndefined();
    const kept = sample(new TraceIdRatioBasedSampler(0.5), `${'0'.repeat(18)}ffffffffffffff`);
    expect(kept.decision).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(kept.traceState?.get('ot')).toBe('th:8');
  });

  it('never samples at ratio 0 and always at ratio 1', () => {
    fc.assert(
      fc.property(hexId, (traceId) => {
        expect(sample(new TraceIdRatioBasedSampler(0), traceId).decision).toBe(0);
        expect(sample(new TraceIdRatioBasedSampler(1), traceId).decision).toBe(2);
      }),
    );
  });

  it('takes randomness from rv when the tracestate has it, keeping other ot sub-keys', () => {
    const low = `${'0'.repeat(18)}00000000000001`;
    const high = `${'0'.repeat(18)}ffffffffffffff`;
    const withHighRv = sample(new TraceIdRatioBasedSampler(0.5), low, 'rv:ffffffffffffff;xy:1');
    expect(withHighRv.decision).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(withHighRv.traceState?.get('ot')).toBe('th:8;rv:ffffffffffffff;xy:1');
    const withLowRv = sample(new TraceIdRatioBasedSampler(0.5), high, 'rv:00000000000000;th:0');
    expect(withLowRv.decision).toBe(SamplingDecision.NOT_RECORD);
    // A span that is not sampled carries no threshold.
    expect(withLowRv.traceState?.get('ot')).toBe('rv:00000000000000');
  });

  it('leaves an ot entry it does not change in its place (W3C Trace Context: "the order of unmodified key/value pairs MUST be preserved")', () => {
    const traceId = `${'0'.repeat(18)}ffffffffffffff`;
    const decide = (header: string) => {
      const parent: SpanContext = {
        traceId,
        spanId: '00f067aa0ba902b7',
        traceFlags: 1,
        isRemote: true,
        traceState: parseTraceState(header),
      };
      const context = trace.setSpanContext(ROOT_CONTEXT, parent);
      const sampler = new TraceIdRatioBasedSampler(0.5);
      return sampler.shouldSample(context, traceId, 'span', SpanKind.INTERNAL, {}, []);
    };
    expect(decide('congo=1,ot=th:8,rojo=2').traceState?.serialize()).toBe('congo=1,ot=th:8,rojo=2');
    // the same threshold among other sub-keys, in any order
    expect(decide('congo=1,ot=rv:ffffffffffffff;th:8,rojo=2').traceState?.serialize()).toBe(
      'congo=1,ot=rv:ffffffffffffff;th:8,rojo=2',
    );
    // a changed one is "Modified keys MUST be moved to the beginning"
    expect(decide('congo=1,ot=th:c,rojo=2').traceState?.serialize()).toBe('ot=th:8,congo=1,rojo=2');
  });

  it('falls back to ratio 1 for an invalid ratio, with a diagnostic', async () => {
    const { captureDiag } = await import('../../test/helpers/test-provider');
    const capture = captureDiag();
    try {
      expect(new TraceIdRatioBasedSampler(2).threshold).toBe('0');
      expect(new TraceIdRatioBasedSampler(Number.NaN).threshold).toBe('0');
      expect(capture.text()).toMatch(/not a number in \[0, 1\]/);
    } finally {
      capture.restore();
    }
  });
});
