// The SDK specification, trace/sdk.md "Id Generators": "The SDK MUST by default randomly generate
// both the TraceId and the SpanId. The SDK MUST provide a mechanism for customizing the way IDs
// are generated for both the TraceId and the SpanId."
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { captureDiag, createTestProvider } from '../../test/helpers/test-provider';
import { AlwaysOffSampler } from '../samplers/always-off-sampler';
import type { IdGenerator } from './id-generator';

let capture: ReturnType<typeof captureDiag> | undefined;
afterEach(() => {
  capture?.restore();
  capture = undefined;
});

/** Ids counting up from 1, as an application's own scheme might. */
function counting(): IdGenerator {
  let n = 0;
  return {
    generateTraceId: () => (++n).toString(16).padStart(32, '0'),
    generateSpanId: () => (++n).toString(16).padStart(16, '0'),
  };
}

describe('idGenerator', () => {
  it('makes the trace id of a new trace and the span id of every span', () => {
    const { tracer, spans } = createTestProvider({ idGenerator: counting() });
    const root = tracer.startSpan('root');
    const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root));
    child.end();
    root.end();
    expect(root.spanContext()).toMatchObject({
      traceId: `${'0'.repeat(31)}1`,
      spanId: `${'0'.repeat(15)}2`,
    });
    expect(child.spanContext()).toMatchObject({
      traceId: `${'0'.repeat(31)}1`,
      spanId: `${'0'.repeat(15)}3`,
    });
    expect(spans.map((s) => s.parentSpanContext?.spanId)).toEqual([
      `${'0'.repeat(15)}2`,
      undefined,
    ]);
    // not known to be random: no W3C Level 2 random flag
    expect(root.spanContext().traceFlags).toBe(1);
  });

  it('gives a new trace of its ids 56 random bits in the ot trace state, which sampling uses (trace/sdk.md, "Explicit trace randomness")', () => {
    const { tracer } = createTestProvider({ idGenerator: counting() });
    const root = tracer.startSpan('root');
    const rv = root.spanContext().traceState?.get('ot');
    expect(rv).toMatch(/^rv:[0-9a-f]{14}$/);
    // children carry the trace's state; a second trace gets other bits
    const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root));
    expect(child.spanContext().traceState?.get('ot')).toBe(rv);
    expect(tracer.startSpan('other').spanContext().traceState?.get('ot')).not.toBe(rv);
    // Ratio sampling decides from rv, not from counting ids (whose low bits are all small): at
    // 0.5, about half of 200 new traces are kept, where the ids alone would keep none.
    const sampled = createTestProvider({
      idGenerator: counting(),
      sampler: 'traceidratio',
      ratio: 0.5,
    });
    let kept = 0;
    for (let i = 0; i < 200; i++) {
      const span = sampled.tracer.startSpan('s');
      if (span.isRecording()) {
        kept++;
        expect(span.spanContext().traceState?.get('ot')).toMatch(/^th:8;rv:[0-9a-f]{14}$/);
      }
      span.end();
    }
    expect(kept).toBeGreaterThan(60);
    expect(kept).toBeLessThan(140);
  });

  it("adds no rv to the default generator's random ids (they carry the random flag instead)", () => {
    const { tracer } = createTestProvider();
    expect(tracer.startSpan('random').spanContext().traceState).toBeUndefined();
  });

  it('trusts a generator that says its trace ids are random: the random flag, and no rv (trace/sdk.md, "IdGenerator randomness")', () => {
    const { tracer } = createTestProvider({
      idGenerator: {
        generateTraceId: () => '4bf92f3577b34da6a3ce929d0e0e4736',
        generateSpanId: () => '00f067aa0ba902b7',
        randomTraceIds: true,
      },
    });
    const root = tracer.startSpan('root');
    expect(root.spanContext().traceFlags).toBe(3);
    expect(root.spanContext().traceState).toBeUndefined();
  });

  it('also names the spans the sampler drops', () => {
    const { tracer } = createTestProvider({
      idGenerator: counting(),
      sampler: new AlwaysOffSampler(),
    });
    const span = tracer.startSpan('dropped');
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext()).toMatchObject({
      traceId: `${'0'.repeat(31)}1`,
      spanId: `${'0'.repeat(15)}2`,
      traceFlags: 0,
    });
  });

  it('replaces an invalid or throwing generator’s ids with random ones, warning once', () => {
    capture = captureDiag();
    let calls = 0;
    const { tracer } = createTestProvider({
      idGenerator: {
        generateTraceId: () => (calls++ === 0 ? 'ABC' : '0'.repeat(32)),
        generateSpanId: () => {
          throw new Error('no ids today');
        },
      },
    });
    for (let i = 0; i < 2; i++) {
      const { traceId, spanId, traceFlags } = tracer.startSpan('s').spanContext();
      expect(traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
      expect(spanId).toMatch(/^(?!0{16})[0-9a-f]{16}$/);
      // a random id after all: the random flag is set
      expect(traceFlags).toBe(3);
    }
    expect(capture.messages.filter((m) => m.level === 'warn')).toHaveLength(1);
  });

  it('never throws into startSpan, whatever the generator returns or throws', () => {
    capture = captureDiag();
    const hostile = Object.create(null); // String() of it throws
    const { tracer } = createTestProvider({
      idGenerator: {
        generateTraceId: () => hostile,
        generateSpanId: () => {
          throw hostile;
        },
      },
    });
    const span = tracer.startSpan('s');
    expect(span.spanContext().traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
    expect(span.spanContext().spanId).toMatch(/^(?!0{16})[0-9a-f]{16}$/);
    expect(capture.text()).toMatch(/idGenerator: invalid trace id \[object Object\]/);
  });

  it('leaves the ids random by default', () => {
    const { tracer } = createTestProvider();
    const a = tracer.startSpan('a').spanContext();
    const b = tracer.startSpan('b').spanContext();
    expect(a.traceId).not.toBe(b.traceId);
    expect(a.traceFlags).toBe(3);
  });
});
