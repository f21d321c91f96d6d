// OTEL_* SDK variables against the OpenTelemetry specification,
// specification/configuration/sdk-environment-variables.md ("Parsing empty value", "Boolean",
// "Numeric", "Integer", "Enum", "General SDK Configuration", "Attribute Limits", "Span Limits"),
// specification/resource/sdk.md ("Specifying resource information via an environment variable")
// and specification/trace/sdk.md ("Sampling", "Span Limits"), and the promise of core's README
// ("An invalid variable is reported through diag and ignored").
import { afterEach, describe, expect, it } from 'vitest';
import { captureDiag } from '../../test/helpers/test-provider';
import { ExportResultCode } from '../export/span-exporter';
import { BatchSpanProcessor } from '../processors/batch-span-processor';
import { createResource } from '../resource/create-resource';
import { resolveSampler } from '../samplers/resolve-sampler';
import { resolveSpanLimits } from '../trace/span-limits';
import { TracerProvider } from '../trace/tracer-provider';
import { type EnvSource, readBoolean, readCount, readString, readText } from './env';

let capture: ReturnType<typeof captureDiag> | undefined;
afterEach(() => {
  capture?.restore();
  capture = undefined;
});
const problems = () =>
  capture!.messages.filter((m) => m.level === 'warn' || m.level === 'error').map((m) => m.message);

describe('"Parsing empty value": an empty value is the same as unset', () => {
  it('for strings, numbers and booleans, whitespace included, without a warning', () => {
    capture = captureDiag();
    expect(readString({ A: '' }, 'A')).toBeUndefined();
    expect(readString({ A: '  ' }, 'A')).toBeUndefined();
    expect(readCount({ A: '' }, 'A')).toBeUndefined();
    expect(readBoolean({ A: '' }, 'A')).toBe(false);
    expect(resolveSampler({}, { OTEL_TRACES_SAMPLER: '' }).toString()).toMatch(
      /^ParentBased\{root=AlwaysOnSampler/,
    );
    expect(createResource({}, { OTEL_SERVICE_NAME: '' }).attributes['service.name']).toBe(
      createResource({}, {}).attributes['service.name'],
    );
    expect(problems()).toEqual([]);
  });
});

describe('"Boolean": only a case-insensitive "true" is true', () => {
  it('reads true, TRUE and True as true', () => {
    for (const value of ['true', 'TRUE', 'True', ' true ']) {
      expect(readBoolean({ FLAG: value }, 'FLAG')).toBe(true);
    }
  });

  it('reads "false" (any case) and unset as false without a warning', () => {
    capture = captureDiag();
    expect(readBoolean({ FLAG: 'false' }, 'FLAG')).toBe(false);
    expect(readBoolean({ FLAG: 'FALSE' }, 'FLAG')).toBe(false);
    expect(readBoolean({}, 'FLAG')).toBe(false);
    expect(problems()).toEqual([]);
  });

  it('MUST NOT extend the true values: 1, yes, on are false, each with a warning', () => {
    capture = captureDiag();
    for (const value of ['1', 'yes', 'on', 't']) {
      expect(readBoolean({ FLAG: value }, 'FLAG')).toBe(false);
    }
    expect(problems()).toHaveLength(4);
  });

  it('OTEL_SDK_DISABLED=true gives a no-op SDK; any other value leaves it enabled', () => {
    capture = captureDiag();
    const disabled = new TracerProvider({ env: { OTEL_SDK_DISABLED: 'True' } });
    expect(disabled.getTracer('t').startSpan('s').isRecording()).toBe(false);
    const enabled = new TracerProvider({ env: { OTEL_SDK_DISABLED: '1' } });
    expect(enabled.getTracer('t').startSpan('s').isRecording()).toBe(true);
    expect(problems()).toHaveLength(1); // "1" is not a boolean
  });
});

describe('"Numeric" / "Integer": unparseable or out-of-range values warn and count as unset', () => {
  it('reads non-negative decimal integers', () => {
    expect(readCount({ N: '0' }, 'N')).toBe(0);
    expect(readCount({ N: ' 2147483647 ' }, 'N')).toBe(2147483647);
  });

  it('rejects negative, fractional, exponent, hex and unit-suffixed values', () => {
    capture = captureDiag();
    for (const value of ['-1', '1.5', '1e3', '0x10', '10ms', 'abc']) {
      expect(readCount({ N: value }, 'N')).toBeUndefined();
    }
    expect(problems()).toHaveLength(6);
  });
});

describe('OTEL_TRACES_SAMPLER ("Enum", trace/sdk.md "Sampling")', () => {
  it.each([
    ['always_on', 'AlwaysOnSampler'],
    ['always_off', 'AlwaysOffSampler'],
    ['traceidratio', 'TraceIdRatioBased{1}'],
    ['parentbased_always_on', 'ParentBased{root=AlwaysOnSampler'],
    ['parentbased_always_off', 'ParentBased{root=AlwaysOffSampler'],
    ['parentbased_traceidratio', 'ParentBased{root=TraceIdRatioBased{1}'],
    ['Always_Off', 'AlwaysOffSampler'],
  ])('%s', (name, expected) => {
    expect(resolveSampler({}, { OTEL_TRACES_SAMPLER: name }).toString()).toMatch(
      new RegExp(`^${expected.replace(/[{}]/g, '\\$&')}`),
    );
  });

  it('an unknown or unimplemented value warns and the default parentbased_always_on applies', () => {
    capture = captureDiag();
    for (const name of ['jaeger_remote', 'parentbased_jaeger_remote', 'xray', 'sometimes']) {
      expect(resolveSampler({}, { OTEL_TRACES_SAMPLER: name }).toString()).toMatch(
        /^ParentBased\{root=AlwaysOnSampler/,
      );
    }
    expect(problems()).toHaveLength(4);
  });
});

describe('OTEL_TRACES_SAMPLER_ARG: a probability in [0..1], default 1.0', () => {
  const ratio = (arg: string | undefined, sampler = 'traceidratio') =>
    resolveSampler({}, { OTEL_TRACES_SAMPLER: sampler, OTEL_TRACES_SAMPLER_ARG: arg }).toString();

  it('reads the ratio for traceidratio and parentbased_traceidratio', () => {
    expect(ratio('0.25')).toBe('TraceIdRatioBased{0.25}');
    expect(ratio('0')).toBe('TraceIdRatioBased{0}');
    expect(ratio('1')).toBe('TraceIdRatioBased{1}');
    expect(ratio('0.5', 'parentbased_traceidratio')).toMatch(
      /^ParentBased\{root=TraceIdRatioBased\{0.5\}/,
    );
  });

  it('"Invalid or unrecognized input MUST be logged" and behaves as unset: 1.0', () => {
    capture = captureDiag();
    // "a number in the [0..1] range, e.g. "0.25"": a decimal number, not JavaScript's other
    // literals
    const invalid = [
      '1.5',
      '-0.1',
      'half',
      'NaN',
      'Infinity',
      '0x0',
      '0b0',
      '0o0',
      '1_0',
      '0.'.concat('5x'),
    ];
    for (const arg of invalid) expect(ratio(arg)).toBe('TraceIdRatioBased{1}');
    expect(problems()).toHaveLength(invalid.length);
    expect(ratio(' .5 ')).toBe('TraceIdRatioBased{0.5}');
    expect(ratio('5e-1')).toBe('TraceIdRatioBased{0.5}');
    expect(ratio('-0')).toBe('TraceIdRatioBased{0}');
  });

  it('unset or empty: 1.0, without a warning', () => {
    capture = captureDiag();
    expect(ratio(undefined)).toBe('TraceIdRatioBased{1}');
    expect(ratio('')).toBe('TraceIdRatioBased{1}');
    expect(problems()).toEqual([]);
  });
});

describe('OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES', () => {
  it('OTEL_SERVICE_NAME takes precedence over service.name in OTEL_RESOURCE_ATTRIBUTES', () => {
    const resource = createResource(
      {},
      { OTEL_SERVICE_NAME: 'from-name', OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs' },
    );
    expect(resource.attributes['service.name']).toBe('from-name');
    expect(
      createResource({}, { OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs' }).attributes[
        'service.name'
      ],
    ).toBe('from-attrs');
  });

  it('values are percent-decoded strings; "," and "=" arrive percent-encoded', () => {
    const resource = createResource(
      {},
      { OTEL_RESOURCE_ATTRIBUTES: 'team=a%2Cb, expr = x%3Dy ,count=3,space=a%20b+c' },
    );
    expect(resource.attributes).toMatchObject({
      team: 'a,b',
      expr: 'x=y',
      count: '3',
      space: 'a b+c',
    });
  });

  it('on a decoding error the whole value is discarded and an error reported', () => {
    capture = captureDiag();
    const resource = createResource({}, { OTEL_RESOURCE_ATTRIBUTES: 'good=1,bad=%E0%A4%A' });
    expect(resource.attributes).not.toHaveProperty('good');
    expect(capture.messages.filter((m) => m.level === 'error')).toHaveLength(1);
  });

  it('discards the whole value on a pair it cannot parse; takes what parses, spaces included', () => {
    capture = captureDiag();
    // "In case of any error, e.g. failure to decode the value or parse the key/value pair": a
    // pair without `=` or a key cannot be parsed
    for (const raw of ['good=1,=2', 'good=1,novalue']) {
      expect(createResource({}, { OTEL_RESOURCE_ATTRIBUTES: raw }).attributes).not.toHaveProperty(
        'good',
      );
    }
    expect(capture.messages.filter((m) => m.level === 'error')).toHaveLength(2);
    // a space the user did not percent-encode parses: kept, as other SDKs keep it, rather than
    // the whole variable (service.name with it) lost
    const lenient = createResource({}, { OTEL_RESOURCE_ATTRIBUTES: 'good=1,team=my team' });
    expect(lenient.attributes).toMatchObject({ good: '1', team: 'my team' });
  });

  it('resource information provided in code wins over the environment', () => {
    const resource = createResource(
      { serviceName: 'code', attributes: { 'deployment.environment': 'code' } },
      {
        OTEL_SERVICE_NAME: 'env',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=env,region=eu',
      },
    );
    expect(resource.attributes).toMatchObject({
      'service.name': 'code',
      'deployment.environment': 'code',
      region: 'eu',
    });
  });
});

describe('"Attribute Limits" and "Span Limits": span-specific over general, both non-negative', () => {
  it('the general limits apply to span, event and link attributes when nothing specific is set', () => {
    const limits = resolveSpanLimits(undefined, {
      OTEL_ATTRIBUTE_COUNT_LIMIT: '7',
      OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '9',
    });
    expect(limits).toMatchObject({
      attributeCountLimit: 7,
      attributeValueLengthLimit: 9,
      attributePerEventCountLimit: 7,
      attributePerLinkCountLimit: 7,
      eventCountLimit: 128,
      linkCountLimit: 128,
    });
  });

  it('the model-specific variables win over the general ones', () => {
    const limits = resolveSpanLimits(undefined, {
      OTEL_ATTRIBUTE_COUNT_LIMIT: '7',
      OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '9',
      OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '3',
      OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: '4',
      OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT: '5',
      OTEL_LINK_ATTRIBUTE_COUNT_LIMIT: '6',
      OTEL_SPAN_EVENT_COUNT_LIMIT: '1',
      OTEL_SPAN_LINK_COUNT_LIMIT: '2',
    });
    expect(limits).toEqual({
      attributeCountLimit: 3,
      attributeValueLengthLimit: 4,
      attributePerEventCountLimit: 5,
      attributePerLinkCountLimit: 6,
      eventCountLimit: 1,
      linkCountLimit: 2,
    });
  });

  it('0 is a valid limit', () => {
    expect(resolveSpanLimits(undefined, { OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '0' })).toMatchObject({
      attributeCountLimit: 0,
    });
  });

  it('an invalid specific value is reported and ignored, so the general one applies', () => {
    capture = captureDiag();
    const limits = resolveSpanLimits(undefined, {
      OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '-1',
      OTEL_ATTRIBUTE_COUNT_LIMIT: '12',
    });
    expect(limits.attributeCountLimit).toBe(12);
    expect(problems()).toHaveLength(1);
  });
});

describe('README "An invalid variable is reported through diag and ignored": values that are not strings', () => {
  // A Cloudflare Worker's JSON [vars] arrive as JSON values; the `env` option takes them as given.
  it('reads numbers and booleans as their text, without a warning', () => {
    capture = captureDiag();
    expect(readString({ A: 1000 }, 'A')).toBe('1000');
    expect(readText({ A: 0 }, 'A')).toBe('0');
    expect(readCount({ N: 64 }, 'N')).toBe(64);
    expect(readBoolean({ FLAG: true }, 'FLAG')).toBe(true);
    expect(readBoolean({ FLAG: false }, 'FLAG')).toBe(false);
    expect(problems()).toEqual([]);
  });

  it('OTEL_SDK_DISABLED: true disables the SDK; numbers configure the processor and the limits', async () => {
    const disabled = new TracerProvider({ env: { OTEL_SDK_DISABLED: true } });
    expect(disabled.disabled).toBe(true);
    const processor = new BatchSpanProcessor(
      {
        export: (_spans, done) => done({ code: ExportResultCode.SUCCESS }),
        shutdown: () => Promise.resolve(),
      },
      { env: { OTEL_BSP_SCHEDULE_DELAY: 1000, OTEL_BSP_MAX_EXPORT_BATCH_SIZE: 16 } },
    );
    expect((processor as unknown as { _delay: number })._delay).toBe(1000);
    expect((processor as unknown as { _batchSize: number })._batchSize).toBe(16);
    await processor.shutdown();
    expect(
      resolveSpanLimits(undefined, { OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: 64 }).attributeCountLimit,
    ).toBe(64);
  });

  it('any other value (an object, null, a symbol) is reported and ignored; nothing throws', async () => {
    capture = captureDiag();
    const env = {
      OTEL_SDK_DISABLED: {},
      OTEL_SERVICE_NAME: null,
      OTEL_TRACES_SAMPLER: ['always_off'],
      OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: Symbol('64'),
      OTEL_BSP_SCHEDULE_DELAY: () => 1000,
    } as unknown as EnvSource;
    expect(readString(env, 'OTEL_SERVICE_NAME')).toBeUndefined();
    expect(problems()).toEqual([
      'OTEL_SERVICE_NAME is not a string, number or boolean (null); ignored',
    ]);
    const provider = new TracerProvider({
      env,
      spanProcessors: [
        new BatchSpanProcessor(
          {
            export: (_s, done) => done({ code: ExportResultCode.SUCCESS }),
            shutdown: () => Promise.resolve(),
          },
          { env },
        ),
      ],
    });
    expect(provider.disabled).toBe(false);
    expect(provider.getTracer('t').startSpan('s').isRecording()).toBe(true);
    for (const name of [
      'OTEL_SDK_DISABLED',
      'OTEL_TRACES_SAMPLER',
      'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT',
      'OTEL_BSP_SCHEDULE_DELAY',
    ]) {
      expect(problems().some((m) => m.startsWith(`${name} is not a string`))).toBe(true);
    }
    await provider.shutdown();
  });
});

describe('README "An invalid variable is reported through diag and ignored": once per value', () => {
  // One bad value is read many times: OTEL_ATTRIBUTE_COUNT_LIMIT three times by one provider, and
  // every provider, processor and exporter made with the same environment reads it again.
  const bad = {
    OTEL_SDK_DISABLED: 'yes',
    OTEL_ATTRIBUTE_COUNT_LIMIT: 'many',
    OTEL_BSP_MAX_QUEUE_SIZE: '0',
    OTEL_TRACES_SAMPLER: 'sometimes',
    OTEL_TRACES_SAMPLER_ARG: 'half',
    OTEL_RESOURCE_ATTRIBUTES: 'broken',
    OTEL_SERVICE_NAME: null,
  };
  const exporter = {
    export: (_s: unknown, done: (r: { code: 0 }) => void) =>
      done({ code: ExportResultCode.SUCCESS }),
    shutdown: () => Promise.resolve(),
  };
  const setUp = (env: EnvSource) =>
    new TracerProvider({ env, spanProcessors: [new BatchSpanProcessor(exporter, { env })] });

  it('reports each invalid value of an environment once, however often it is read', () => {
    capture = captureDiag();
    const env = { ...bad };
    setUp(env);
    const first = problems();
    // one report per bad value, none twice
    expect(first).toHaveLength(Object.keys(bad).length);
    expect(new Set(first).size).toBe(first.length);
    setUp(env);
    readText(env, 'OTEL_SERVICE_NAME');
    expect(problems()).toEqual(first);
  });

  it('reports them again for another environment object, and a changed value again', () => {
    capture = captureDiag();
    const env: Record<string, unknown> = { ...bad };
    setUp(env);
    const count = problems().length;
    setUp({ ...bad });
    expect(problems()).toHaveLength(2 * count);
    env.OTEL_SDK_DISABLED = 'no';
    setUp(env);
    expect(problems().slice(2 * count)).toEqual([
      'OTEL_SDK_DISABLED=no is not "true" or "false"; using false',
    ]);
  });
});

describe('OTEL_CONFIG_FILE (declarative configuration, not supported)', () => {
  it('is reported once, with what applies instead; the other variables still apply', () => {
    capture = captureDiag();
    for (const name of ['OTEL_CONFIG_FILE', 'OTEL_EXPERIMENTAL_CONFIG_FILE']) {
      const env = { [name]: '/etc/otel/sdk.yaml', OTEL_SERVICE_NAME: 'from-env' };
      const provider = new TracerProvider({ env });
      new TracerProvider({ env });
      expect(provider.resource.attributes['service.name']).toBe('from-env');
      expect(problems().filter((m) => m.includes(name))).toHaveLength(1);
    }
    new TracerProvider({ env: {} });
    expect(problems()).toHaveLength(2);
  });
});
