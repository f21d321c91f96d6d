import { diag } from '@opentelemetry/api';
import { toText } from '../trace/to-text';
import { BuiltInSampler } from './built-in-sampler';
import { readRandomness, withThreshold } from './ot-trace-state';
import { inputTraceId, SamplingDecision, type SamplingInput } from './sampler';

const TWO_POW_32 = 2 ** 32;
const TWO_POW_56 = 2 ** 56;

/** A ratio in [0, 1]; anything else is reported and replaced by 1 (the specification's fallback). */
export function normalizeRatio(ratio: unknown): number {
  if (typeof ratio === 'number' && ratio >= 0 && ratio <= 1) return ratio;
  diag.warn(`sampling ratio ${toText(ratio)} is not a number in [0, 1]; using 1`);
  return 1;
}

/**
 * Consistent probability sampling (OpenTelemetry specification, TraceIdRatioBased and "TraceState:
 * Probability Sampling"): the randomness R is the `rv` of the `ot` tracestate entry, or else the
 * least-significant 56 bits of the trace id; the rejection threshold is T = (1 − ratio) · 2^56;
 * a span is sampled when R ≥ T, and a sampled span carries `ot=th:<T in hex>`, so every service
 * with the same ratio decides alike for a trace and a backend can weigh each span by 1 / ratio.
 * R is compared as two exact integers (24 + 32 bits): 56 bits do not fit a double.
 */
export class TraceIdRatioBasedSampler extends BuiltInSampler {
  private readonly _ratio: number;
  private readonly _thresholdHigh: number;
  private readonly _thresholdLow: number;
  /** The `th` value: 14 hex digits of T without trailing zeros ("0" when T = 0). */
  readonly threshold: string | undefined;

  constructor(ratio = 1) {
    super();
    this._ratio = normalizeRatio(ratio);
    const t = Math.round((1 - this._ratio) * TWO_POW_56);
    this._thresholdHigh = Math.floor(t / TWO_POW_32);
    this._thresholdLow = t - this._thresholdHigh * TWO_POW_32;
    this.threshold =
      t >= TWO_POW_56
        ? undefined
        : (
            this._thresholdHigh.toString(16).padStart(6, '0') +
            this._thresholdLow.toString(16).padStart(8, '0')
          ).replace(/0+$/, '') || '0';
  }

  decide(input: SamplingInput): SamplingDecision {
    if (this.threshold === undefined) {
      // Ratio 0: nothing passes T = 2^56, so no randomness (and no trace id) is needed to decide.
      input.traceState = withThreshold(input.parentTraceState, undefined);
      return SamplingDecision.NOT_RECORD;
    }
    const rv = readRandomness(input.parentTraceState);
    const traceId = rv === undefined ? inputTraceId(input) : undefined;
    const high = traceId === undefined ? rv![0] : traceId.randomHigh;
    const low = traceId === undefined ? rv![1] : traceId.randomLow;
    const sampled =
      high > this._thresholdHigh || (high === this._thresholdHigh && low >= this._thresholdLow);
    if (sampled) {
      input.traceState = withThreshold(input.parentTraceState, this.threshold);
      return SamplingDecision.RECORD_AND_SAMPLED;
    }
    input.traceState = withThreshold(input.parentTraceState, undefined);
    return SamplingDecision.NOT_RECORD;
  }

  toString(): string {
    return `TraceIdRatioBased{${this._ratio}}`;
  }
}
