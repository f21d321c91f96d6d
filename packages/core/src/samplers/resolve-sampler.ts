import { type EnvSource, readString, reportEnv } from '../config/env';
import { AlwaysOffSampler } from './always-off-sampler';
import { AlwaysOnSampler } from './always-on-sampler';
import { ErrorAlwaysSampler } from './error-always-sampler';
import type { ErrorBufferOptions } from './error-segment';
import { ParentBasedSampler } from './parent-based-sampler';
import type { Sampler } from './sampler';
import { TraceIdRatioBasedSampler } from './trace-id-ratio-sampler';

/** The OTEL_TRACES_SAMPLER names this SDK implements. */
export type SamplerName =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

export interface SamplerOptions {
  /** A sampler, or an OTEL_TRACES_SAMPLER name. Default: OTEL_TRACES_SAMPLER, else parentbased_always_on. */
  sampler?: Sampler | SamplerName | undefined;
  /**
   * The ratio of the traceidratio samplers. Default: OTEL_TRACES_SAMPLER_ARG for the sampler
   * OTEL_TRACES_SAMPLER names, else 1.
   */
  ratio?: number | undefined;
  /**
   * 'always': keep every trace segment with an error, whatever the sampler decided
   * (env SPANLITE_TRACES_ERRORS=always). Default 'sampled': only what the sampler keeps.
   */
  errors?: 'always' | 'sampled' | undefined;
  /** Memory bounds of error-always sampling. */
  errorBuffer?: ErrorBufferOptions | undefined;
}

const DEFAULT_NAME = 'parentbased_always_on';

/** A decimal number (`0.25`, `.5`, `1`, `1e-2`); not JavaScript's hex, octal or binary literals. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function parseRatio(raw: string | undefined, env: EnvSource): number | undefined {
  if (raw === undefined) return undefined;
  const ratio = Number(raw);
  if (DECIMAL.test(raw.trim()) && ratio >= 0 && ratio <= 1) return ratio;
  reportEnv(env, `OTEL_TRACES_SAMPLER_ARG=${raw} is not a number in [0, 1]; using 1`);
  return 1;
}

function byName(name: string, ratio: number): Sampler | undefined {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
    default:
      return undefined;
  }
}

/** The sampler from options, else from OTEL_TRACES_SAMPLER(_ARG) and SPANLITE_TRACES_ERRORS. */
export function resolveSampler(options: SamplerOptions, env: EnvSource): Sampler {
  const named = readString(env, 'OTEL_TRACES_SAMPLER');
  const configured = options.sampler ?? named;
  let sampler: Sampler;
  if (configured !== undefined && typeof configured === 'object') {
    sampler = configured;
  } else {
    // "The specified value will only be used if OTEL_TRACES_SAMPLER is set": it is the argument of
    // the sampler that variable names, not of one named in code, which takes `ratio`.
    let ratio = options.ratio;
    if (ratio === undefined && options.sampler === undefined && named !== undefined) {
      ratio = parseRatio(readString(env, 'OTEL_TRACES_SAMPLER_ARG'), env);
    } else if (
      ratio === undefined &&
      configured?.toLowerCase().endsWith('traceidratio') &&
      readString(env, 'OTEL_TRACES_SAMPLER_ARG') !== undefined
    ) {
      reportEnv(
        env,
        'OTEL_TRACES_SAMPLER_ARG goes with OTEL_TRACES_SAMPLER, not `sampler`; ratio: 1',
      );
    }
    ratio ??= 1;
    const found = byName(configured?.toLowerCase() ?? DEFAULT_NAME, ratio);
    if (found === undefined) {
      // as written: "implementations SHOULD display the original user-provided value"
      reportEnv(env, `sampler "${configured}" is not supported here; using ${DEFAULT_NAME}`);
    }
    sampler = found ?? byName(DEFAULT_NAME, ratio)!;
  }
  const errors = options.errors ?? readString(env, 'SPANLITE_TRACES_ERRORS');
  const mode = errors?.toLowerCase();
  if (mode === 'always') return new ErrorAlwaysSampler(sampler, options.errorBuffer);
  if (mode !== undefined && mode !== 'sampled') {
    reportEnv(env, `errors: "${errors}" is not "always" or "sampled"; using "sampled"`);
  }
  return sampler;
}
