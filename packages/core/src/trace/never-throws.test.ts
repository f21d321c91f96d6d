import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { captureDiag, createTestProvider } from '../../test/helpers/test-provider';

let capture: ReturnType<typeof captureDiag> | undefined;
afterEach(() => {
  capture?.restore();
  capture = undefined;
});

const garbage = fc.anything({
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
});

describe('instrumentation never throws into user code (property)', () => {
  it('for any arguments to the tracer and span methods', () => {
    capture = captureDiag();
    const { tracer } = createTestProvider({ spanLimits: { attributeValueLengthLimit: 4 } });
    fc.assert(
      fc.property(garbage, garbage, garbage, garbage, (a, b, c, d) => {
        const span = tracer.startSpan(a as never, b as never, c as never);
        span.setAttribute(a as never, b as never);
        span.setAttributes(a as never);
        span.addEvent(a as never, b as never, c as never);
        span.addLink(a as never);
        span.addLinks(b as never);
        span.setStatus(a as never);
        span.updateName(c as never);
        span.recordException(d as never, a as never);
        span.spanContext();
        span.isRecording();
        span.end(b as never);
        span.end(c as never);
        const child = tracer.startSpan('child', d as never, trace.setSpan(ROOT_CONTEXT, span));
        child.end();
      }),
      { numRuns: 300 },
    );
  });

  it('starts a span of an unknown kind as INTERNAL, the default, with a warning', () => {
    capture = captureDiag();
    const { tracer, spans } = createTestProvider();
    for (const kind of [99, -1, 1.5, '2', null, SpanKind.CONSUMER, undefined]) {
      tracer.startSpan('s', { kind: kind as never }).end();
    }
    expect(spans.map((span) => span.kind)).toEqual([0, 0, 0, 0, 0, SpanKind.CONSUMER, 0]);
    expect(capture.text().match(/invalid kind/g)).toHaveLength(5);
  });

  it('keeps only links whose ids an exporter can write (a malformed one cost its whole batch)', () => {
    capture = captureDiag();
    const { tracer, spans } = createTestProvider();
    const good = { traceId: 'a'.repeat(32), spanId: 'B'.repeat(16), traceFlags: 1 };
    const zero = { traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 };
    const bad = [
      null,
      { context: null },
      { context: { traceId: 'a'.repeat(32) } },
      { context: { traceId: 'a'.repeat(31), spanId: 'b'.repeat(16) } },
      { context: { traceId: 'g'.repeat(32), spanId: 'b'.repeat(16) } },
      { context: { traceId: 42, spanId: 'b'.repeat(16) } },
    ];
    const span = tracer.startSpan('s', { links: [...bad, { context: good }] as never });
    for (const link of bad) span.addLink(link as never);
    span.addLinks([{ context: zero, attributes: { why: 'kept' } }]);
    span.end();
    expect(spans[0]!.links.map((link) => link.context)).toEqual([good, zero]);
    expect(capture.text().match(/invalid link; dropped/g)).toHaveLength(bad.length * 2);
  });

  it('returns and rethrows exactly what the callback of startActiveSpan does', () => {
    const { tracer } = createTestProvider();
    fc.assert(
      fc.property(garbage, fc.boolean(), (value, shouldThrow) => {
        const run = () =>
          tracer.startActiveSpan('s', (span) => {
            span.end();
            if (shouldThrow) throw value;
            return value;
          });
        if (shouldThrow) {
          let caught: unknown = 'nothing';
          try {
            run();
          } catch (error) {
            caught = error;
          }
          expect(caught).toBe(value);
        } else {
          expect(run()).toBe(value);
        }
      }),
    );
  });
});

describe('a sampler that throws', () => {
  it('drops the span instead of throwing out of startSpan, reported once', () => {
    capture = captureDiag();
    const { tracer, spans } = createTestProvider({
      sampler: {
        shouldSample() {
          throw new Error('sampler bug');
        },
        toString: () => 'BuggySampler',
      },
    });
    for (let i = 0; i < 3; i++) {
      const span = tracer.startSpan('s');
      expect(span.isRecording()).toBe(false);
      expect(span.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
      span.end();
    }
    expect(spans).toHaveLength(0);
    const errors = capture.messages.filter((m) => m.level === 'error');
    expect(errors).toHaveLength(1);
    expect(capture.text()).toMatch(/sampler BuggySampler threw/);
  });

  it('drops the span of a sampler that returns no result or an unknown decision', () => {
    capture = captureDiag();
    const odd = Object.create(null);
    for (const result of [
      undefined,
      null,
      7,
      { decision: 9 },
      { decision: odd },
      { decision: '1' },
    ]) {
      const { tracer, spans } = createTestProvider({
        sampler: { shouldSample: () => result as never, toString: () => 'OddSampler' },
      });
      const span = tracer.startSpan('s');
      expect(span.isRecording()).toBe(false);
      span.end();
      // the tracer goes on as before: the next span's input is the tracer's own again
      expect(spans).toHaveLength(0);
    }
    expect(capture.messages.filter((m) => m.level === 'error')).toHaveLength(6);
  });

  it('is not left counting a span as being started after an options getter threw', () => {
    const { tracer } = createTestProvider();
    const throwing = {
      get kind(): never {
        throw new Error('getter bug');
      },
    };
    try {
      tracer.startSpan('a', throwing as never);
    } catch {
      // the caller's own options object threw: its error, not the SDK's
    }
    // a count left above 0 would make every later span allocate a sampling input of its own
    expect((tracer as unknown as { _starting: number })._starting).toBe(0);
    tracer.startSpan('b').end();
    expect((tracer as unknown as { _starting: number })._starting).toBe(0);
  });
});
