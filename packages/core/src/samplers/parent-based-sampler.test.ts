import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTestProvider } from '../../test/helpers/test-provider';
import { AlwaysOffSampler } from './always-off-sampler';
import { AlwaysOnSampler } from './always-on-sampler';
import { ParentBasedSampler } from './parent-based-sampler';
import { SamplingDecision } from './sampler';

const on = new AlwaysOnSampler();
const off = new AlwaysOffSampler();

function parentContext(remote: boolean, sampled: boolean) {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    traceFlags: sampled ? 1 : 0,
    isRemote: remote,
  });
}

describe('ParentBased', () => {
  it('follows the parent by default and uses the root sampler without one', () => {
    const sampler = new ParentBasedSampler({ root: off });
    const decide = (ctx = ROOT_CONTEXT) =>
      sampler.shouldSample(ctx, '4bf92f3577b34da6a3ce929d0e0e4736', 's', SpanKind.INTERNAL, {}, [])
        .decision;
    expect(decide()).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(parentContext(true, true))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(parentContext(true, false))).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(parentContext(false, true))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(parentContext(false, false))).toBe(SamplingDecision.NOT_RECORD);
  });

  it('lets each of the four parent cases be configured', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (rs, rn, ls, ln, remote, sampled) => {
          const sampler = new ParentBasedSampler({
            root: on,
            remoteParentSampled: rs ? on : off,
            remoteParentNotSampled: rn ? on : off,
            localParentSampled: ls ? on : off,
            localParentNotSampled: ln ? on : off,
          });
          const expected = remote ? (sampled ? rs : rn) : sampled ? ls : ln;
          const decision = sampler.shouldSample(
            parentContext(remote, sampled),
            '4bf92f3577b34da6a3ce929d0e0e4736',
            's',
            SpanKind.INTERNAL,
            {},
            [],
          ).decision;
          expect(decision).toBe(
            expected ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD,
          );
        },
      ),
    );
  });

  it('decides the same on the tracer fast path as through shouldSample, for local parents too', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.boolean(), (ls, ln, parentSampled) => {
        const sampler = new ParentBasedSampler({
          root: parentSampled ? on : off,
          localParentSampled: ls ? on : off,
          localParentNotSampled: ln ? on : off,
        });
        const { tracer } = createTestProvider({ sampler });
        const parent = tracer.startSpan('parent');
        const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, parent));
        const expected = parentSampled ? ls : ln;
        expect(child.isRecording()).toBe(expected);
        expect((child.spanContext().traceFlags & 1) === 1).toBe(expected);
        expect(child.spanContext().traceId).toBe(parent.spanContext().traceId);
      }),
    );
  });

  it('gives each span below a dropped local root its own span id (spec: SDK Span creation)', () => {
    const { tracer, spans } = createTestProvider({ sampler: 'parentbased_always_off' });
    const root = tracer.startSpan('root');
    const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root));
    expect(root.isRecording()).toBe(false);
    expect(child.isRecording()).toBe(false);
    expect(child).not.toBe(root);
    expect(root.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(child.spanContext().traceId).toBe(root.spanContext().traceId);
    expect(child.spanContext().spanId).not.toBe(root.spanContext().spanId);
    expect(root.spanContext().traceFlags).toBe(0x02);
    expect(child.spanContext().traceFlags).toBe(0x02);
    child.end();
    root.end();
    expect(spans).toHaveLength(0);
  });
});
