/**
 * The built-in samplers against specification/trace/sdk.md ("Sampler", "Built-in samplers"),
 * through the standard `shouldSample` call other SDKs and wrapping samplers make.
 */
import {
  type Context,
  createTraceState,
  ROOT_CONTEXT,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createTestProvider } from '../../test/helpers/test-provider';
import { AlwaysOffSampler } from './always-off-sampler';
import { AlwaysOnSampler } from './always-on-sampler';
import { AlwaysRecordSampler } from './always-record-sampler';
import { ErrorAlwaysSampler } from './error-always-sampler';
import { ParentBasedSampler } from './parent-based-sampler';
import { type Sampler, SamplingDecision, type SamplingResult } from './sampler';
import { TraceIdRatioBasedSampler } from './trace-id-ratio-sampler';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

function parentContext(sampled: boolean, isRemote: boolean, traceState?: string): Context {
  const parent: SpanContext = {
    traceId: TRACE_ID,
    spanId: '00f067aa0ba902b7',
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote,
    traceState: traceState === undefined ? undefined : createTraceState(traceState),
  };
  return trace.setSpanContext(ROOT_CONTEXT, parent);
}

function ask(sampler: Sampler, context: Context = ROOT_CONTEXT): SamplingResult {
  return sampler.shouldSample(context, TRACE_ID, 'span', SpanKind.INTERNAL, {}, []);
}

/** A delegate that answers `decision` with attributes naming itself. */
function named(name: string, decision: SamplingResult['decision']): Sampler {
  return {
    shouldSample: () => ({ decision, attributes: { delegate: name } }),
    toString: () => name,
  };
}

describe('AlwaysOn and AlwaysOff', () => {
  it('decide RECORD_AND_SAMPLE and DROP, described as AlwaysOnSampler / AlwaysOffSampler', () => {
    expect(ask(new AlwaysOnSampler()).decision).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(ask(new AlwaysOffSampler()).decision).toBe(SamplingDecision.NOT_RECORD);
    expect(new AlwaysOnSampler().toString()).toBe('AlwaysOnSampler');
    expect(new AlwaysOffSampler().toString()).toBe('AlwaysOffSampler');
  });

  it('return the passed-in Tracestate (an empty one would clear it)', () => {
    const ctx = parentContext(true, true, 'vendor=v');
    expect(ask(new AlwaysOnSampler(), ctx).traceState?.serialize()).toBe('vendor=v');
    expect(ask(new AlwaysOffSampler(), ctx).traceState?.serialize()).toBe('vendor=v');
  });
});

describe('TraceIdRatioBased', () => {
  it('ignores the parent SampledFlag', () => {
    expect(ask(new TraceIdRatioBasedSampler(0), parentContext(true, true)).decision).toBe(
      SamplingDecision.NOT_RECORD,
    );
    expect(ask(new TraceIdRatioBasedSampler(1), parentContext(false, false)).decision).toBe(
      SamplingDecision.RECORD_AND_SAMPLED,
    );
  });

  it('is described as TraceIdRatioBased{RATIO}, RATIO a decimal number', () => {
    expect(new TraceIdRatioBasedSampler(0.25).toString()).toBe('TraceIdRatioBased{0.25}');
    expect(new TraceIdRatioBasedSampler(0.0001).toString()).toBe('TraceIdRatioBased{0.0001}');
    expect(new TraceIdRatioBasedSampler(1).toString()).toBe('TraceIdRatioBased{1}');
    expect(new TraceIdRatioBasedSampler(0).toString()).toBe('TraceIdRatioBased{0}');
  });
});

describe('ParentBased', () => {
  const sampler = new ParentBasedSampler({
    root: named('root', SamplingDecision.RECORD_AND_SAMPLED),
    remoteParentSampled: named('remoteSampled', SamplingDecision.RECORD_AND_SAMPLED),
    remoteParentNotSampled: named('remoteNotSampled', SamplingDecision.RECORD),
    localParentSampled: named('localSampled', SamplingDecision.RECORD_AND_SAMPLED),
    localParentNotSampled: named('localNotSampled', SamplingDecision.NOT_RECORD),
  });

  it('invokes the delegate of each of the five parent cases, returning its whole result', () => {
    const cases: Array<[Context, string, SamplingResult['decision']]> = [
      [ROOT_CONTEXT, 'root', SamplingDecision.RECORD_AND_SAMPLED],
      [parentContext(true, true), 'remoteSampled', SamplingDecision.RECORD_AND_SAMPLED],
      [parentContext(false, true), 'remoteNotSampled', SamplingDecision.RECORD],
      [parentContext(true, false), 'localSampled', SamplingDecision.RECORD_AND_SAMPLED],
      [parentContext(false, false), 'localNotSampled', SamplingDecision.NOT_RECORD],
    ];
    for (const [ctx, delegate, decision] of cases) {
      const result = ask(sampler, ctx);
      expect(result.decision).toBe(decision);
      expect(result.attributes).toEqual({ delegate });
    }
  });

  it('defaults: remote and local sampled parents AlwaysOn, not sampled AlwaysOff', () => {
    const defaults = new ParentBasedSampler({ root: new AlwaysOffSampler() });
    expect(ask(defaults).decision).toBe(SamplingDecision.NOT_RECORD);
    expect(ask(defaults, parentContext(true, true)).decision).toBe(
      SamplingDecision.RECORD_AND_SAMPLED,
    );
    expect(ask(defaults, parentContext(false, true)).decision).toBe(SamplingDecision.NOT_RECORD);
    expect(ask(defaults, parentContext(true, false)).decision).toBe(
      SamplingDecision.RECORD_AND_SAMPLED,
    );
    expect(ask(defaults, parentContext(false, false)).decision).toBe(SamplingDecision.NOT_RECORD);
    expect(defaults.toString()).toBe(
      'ParentBased{root=AlwaysOffSampler, remoteParentSampled=AlwaysOnSampler, remoteParentNotSampled=AlwaysOffSampler, localParentSampled=AlwaysOnSampler, localParentNotSampled=AlwaysOffSampler}',
    );
  });
});

describe('ParentBased and a remote parent\'s threshold (tracestate-probability-sampling.md, "General requirements")', () => {
  // the trace id's randomness: its low 56 bits, 0xce929d0e0e4736
  const defaults = new ParentBasedSampler({ root: new AlwaysOffSampler() });
  const ot = (state: string) =>
    ask(defaults, parentContext(true, true, state)).traceState?.get('ot');

  it("passes on a threshold the trace's randomness meets, with the rest of the entry", () => {
    expect(ot('ot=th:8')).toBe('th:8');
    expect(ot('ot=th:ce929d0e0e4736')).toBe('th:ce929d0e0e4736');
    expect(ot('ot=th:f;rv:ffffffffffffff')).toBe('th:f;rv:ffffffffffffff');
  });

  it('erases one the sampled flag contradicts (rv < th), or that is not hex: "otherwise it should erase the threshold"', () => {
    expect(ot('ot=th:f')).toBeUndefined();
    expect(ot('ot=th:ce929d0e0e4737')).toBeUndefined();
    expect(ot('ot=th:8;rv:00000000000000')).toBe('rv:00000000000000');
    expect(ot('ot=th:zz')).toBeUndefined();
  });
});

describe("AlwaysRecord (Development; the 3.x reference SDK's createAlwaysRecordSampler)", () => {
  it("turns its delegate's DROP into RECORD_ONLY and keeps every other result, described as AlwaysRecordSampler{delegate}", () => {
    expect(ask(new AlwaysRecordSampler(named('d', SamplingDecision.NOT_RECORD)))).toEqual({
      decision: SamplingDecision.RECORD,
      attributes: { delegate: 'd' },
    });
    const sampled = new AlwaysRecordSampler(named('s', SamplingDecision.RECORD_AND_SAMPLED));
    expect(ask(sampled).decision).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(String(new AlwaysRecordSampler(new AlwaysOffSampler()))).toBe(
      'AlwaysRecordSampler{AlwaysOffSampler}',
    );
  });

  it('lets span processors see the spans the delegate drops, unsampled, so exporters skip them', () => {
    const ended: boolean[] = [];
    const { tracer, spans } = createTestProvider({
      sampler: new AlwaysRecordSampler(new TraceIdRatioBasedSampler(0)),
      spanProcessors: [
        {
          onStart: () => {},
          onEnd: (span) => ended.push((span.spanContext().traceFlags & 1) === 1),
          forceFlush: async () => {},
          shutdown: async () => {},
        },
      ],
    });
    const span = tracer.startSpan('s');
    expect(span.isRecording()).toBe(true);
    span.end();
    expect(ended).toEqual([false]);
    // createTestProvider's exporter sits behind a simple processor, which exports sampled spans only
    expect(spans).toHaveLength(0);
  });
});

describe('AlwaysRecord with error-always, in either nesting', () => {
  it('keeps a failing segment exported, sampled', () => {
    for (const options of [
      { sampler: new AlwaysRecordSampler(new ErrorAlwaysSampler(new AlwaysOffSampler())) },
      { sampler: new AlwaysRecordSampler(new AlwaysOffSampler()), errors: 'always' as const },
    ]) {
      const { tracer, spans } = createTestProvider(options);
      const span = tracer.startSpan('fails');
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      expect(spans).toHaveLength(1);
      expect(spans[0]!.spanContext().traceFlags & TraceFlags.SAMPLED).toBe(TraceFlags.SAMPLED);
    }
  });
});

describe('the tracer asks shouldSample of every sampler it is given (spec "Sampler": ShouldSample)', () => {
  /** A user's sampler built on a built-in one: no spans for health checks. */
  class NoHealthChecks extends AlwaysOnSampler {
    override shouldSample(...args: Parameters<Sampler['shouldSample']>): SamplingResult {
      if (args[2] === 'GET /health') return { decision: SamplingDecision.NOT_RECORD };
      return super.shouldSample(...args);
    }
  }

  it('a subclass of a built-in sampler that overrides shouldSample decides, alone or as a root', () => {
    for (const sampler of [
      new NoHealthChecks(),
      new ParentBasedSampler({ root: new NoHealthChecks() }),
    ]) {
      const { tracer } = createTestProvider({ sampler });
      expect(tracer.startSpan('GET /health').isRecording()).toBe(false);
      expect(tracer.startSpan('GET /cart').isRecording()).toBe(true);
    }
  });

  it('a sampler with a method of its own named decide is asked through shouldSample', () => {
    const sampler = {
      decide: () => SamplingDecision.RECORD, // a helper of the user's, not spanlite's fast path
      shouldSample: () => ({ decision: SamplingDecision.RECORD_AND_SAMPLED }),
      toString: () => 'MySampler',
    };
    const { tracer } = createTestProvider({ sampler });
    const span = tracer.startSpan('s');
    expect(span.isRecording()).toBe(true);
    expect(span.spanContext().traceFlags & TraceFlags.SAMPLED).toBe(TraceFlags.SAMPLED);
  });
});
