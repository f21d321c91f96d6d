import { describe, expect, it } from 'vitest';
import { captureDiag } from '../../test/helpers/test-provider';
import { resolveSampler } from './resolve-sampler';

describe('sampler configuration', () => {
  it('defaults to parentbased_always_on', () => {
    expect(resolveSampler({}, {}).toString()).toMatch(/^ParentBased\{root=AlwaysOnSampler/);
  });

  it.each([
    ['always_on', undefined, 'AlwaysOnSampler'],
    ['always_off', undefined, 'AlwaysOffSampler'],
    ['traceidratio', '0.25', 'TraceIdRatioBased{0.25}'],
    ['parentbased_always_on', undefined, 'ParentBased{root=AlwaysOnSampler'],
    ['parentbased_always_off', undefined, 'ParentBased{root=AlwaysOffSampler'],
    ['parentbased_traceidratio', '0.5', 'ParentBased{root=TraceIdRatioBased{0.5}'],
    ['PARENTBASED_TRACEIDRATIO', '0.5', 'ParentBased{root=TraceIdRatioBased{0.5}'],
  ])('reads OTEL_TRACES_SAMPLER=%s', (name, arg, expected) => {
    const env = { OTEL_TRACES_SAMPLER: name, OTEL_TRACES_SAMPLER_ARG: arg };
    expect(resolveSampler({}, env).toString().startsWith(expected)).toBe(true);
  });

  it('reads OTEL_TRACES_SAMPLER_ARG only with a named sampler (SDK environment variables: "will only be used if OTEL_TRACES_SAMPLER is set")', () => {
    const capture = captureDiag();
    try {
      expect(resolveSampler({}, { OTEL_TRACES_SAMPLER_ARG: 'half' }).toString()).toMatch(
        /^ParentBased\{root=AlwaysOnSampler/,
      );
      expect(capture.text()).not.toMatch(/OTEL_TRACES_SAMPLER_ARG/);
      // nor for a ratio sampler named only in code, which takes `ratio`; said, since it was
      // likely meant for it
      const named = resolveSampler({ sampler: 'traceidratio' }, { OTEL_TRACES_SAMPLER_ARG: '0.5' });
      expect(named.toString()).toBe('TraceIdRatioBased{1}');
      expect(capture.text()).toMatch(/OTEL_TRACES_SAMPLER_ARG goes with OTEL_TRACES_SAMPLER/);
      const given = { sampler: 'traceidratio', ratio: 0.25 } as const;
      expect(resolveSampler(given, { OTEL_TRACES_SAMPLER_ARG: '0.5' }).toString()).toBe(
        'TraceIdRatioBased{0.25}',
      );
      // nor when OTEL_TRACES_SAMPLER names another sampler, which code overrides
      const both = { OTEL_TRACES_SAMPLER: 'always_on', OTEL_TRACES_SAMPLER_ARG: '0.5' };
      expect(resolveSampler({ sampler: 'traceidratio' }, both).toString()).toBe(
        'TraceIdRatioBased{1}',
      );
      // a sampler named in code that takes no ratio: nothing to say
      const before = capture.messages.length;
      resolveSampler({ sampler: 'always_on' }, { OTEL_TRACES_SAMPLER_ARG: '0.5' });
      expect(capture.messages).toHaveLength(before);
    } finally {
      capture.restore();
    }
  });

  it('falls back with a diagnostic on an unknown name or a bad argument', () => {
    const capture = captureDiag();
    try {
      expect(resolveSampler({}, { OTEL_TRACES_SAMPLER: 'Jaeger_Remote' }).toString()).toMatch(
        /^ParentBased\{root=AlwaysOnSampler/,
      );
      resolveSampler({}, { SPANLITE_TRACES_ERRORS: 'Everything' });
      expect(
        resolveSampler(
          {},
          { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'half' },
        ).toString(),
      ).toBe('TraceIdRatioBased{1}');
      // the value as written (SDK environment variables: "implementations SHOULD display the
      // original user-provided value")
      expect(capture.text()).toContain('"Jaeger_Remote"');
      expect(capture.text()).toContain('"Everything"');
      expect(capture.text()).toMatch(/OTEL_TRACES_SAMPLER_ARG=half/);
    } finally {
      capture.restore();
    }
  });

  it('lets options win over the environment and wraps error-always around any sampler', () => {
    const sampler = resolveSampler(
      { sampler: 'always_off', errors: 'always' },
      { OTEL_TRACES_SAMPLER: 'always_on' },
    );
    expect(sampler.toString()).toBe('ErrorAlways{AlwaysOffSampler}');
  });
});
