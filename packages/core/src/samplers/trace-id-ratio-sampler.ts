import { diag } from '@opentelemetry/api';
import { toText } from '../trace/to-text';
import { BuiltInSampler } from './built-in-sampler';
import { hexWords, meetsThreshold, readRandomness, withThreshold } from './ot-trace-state';
import { inputTraceId, SamplingDecision, type SamplingInput } from './sampler';

/** A ratio in [0, 1]; anything else is reported and replaced by 1 (the specification's fallback). */
export function normalizeRatio(ratio: unknown): number {
  if (typeof ratio === 'number' && ratio >= 0 && ratio <= 1) return ratio;
  diag.warn(`sampling ratio ${toText(ratio)} is not a number in [0, 1]; using 1`);
  return 1;
}

/**
 * Consistent probability sampling (OpenTelemetry specification, TraceIdRatioBased and "TraceState:
 * Probability Sampling"): the randomness R is the `rv` of the `ot` tracestate entry, or else the
 * least-significant 56 bits of the trace id; the rejection threshold is T = (1 − ratio) · 2^56,
 * rounded to 4 significant hex digits as the specification recommends (see {@link thresholdOf}),
 * so it decides as other SDKs do; a span is sampled when R ≥ T, and a sampled span carries `ot=th:<T in hex>`, so every service
 * with the same ratio decides alike for a trace and a backend can weigh each span by 1 / ratio.
 * R is compared as two exact integers (24 + 32 bits): 56 bits do not fit a double.
 */
export class TraceIdRatioBasedSampler extends BuiltInSampler {
  private readonly _ratio: number;
  private readonly _thresholdHigh: number;
  private readonly _thresholdLow: number;
  /** The `th` value: T's hex digits without trailing zeros ("0" when T = 0), none for ratio 0. */
  readonly threshold: string | undefined;

  constructor(ratio = 1) {
    super();
    this._ratio = normalizeRatio(ratio);
    this.threshold = this._ratio === 0 ? undefined : thresholdOf(this._ratio, 4);
    [this._thresholdHigh, this._thresholdLow] = hexWords(this.threshold ?? 'ffffffffffffff');
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
    if (meetsThreshold(high, low, this._thresholdHigh, this._thresholdLow)) {
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

/**
 * The `th` digits of the rejection threshold for `probability`, rounded to `precision` significant
 * hex digits: the algorithm of the specification's "TraceState: Probability Sampling"
 * ("Converting probability to threshold with precision"; "OpenTelemetry SDKs are recommended to
 * use 4 digits of precision by default"), whose precision grows by one digit for every leading
 * `f` a small probability gives (0.1 → `e666`, 0.01 → `fd70a`). The threshold's 13 digits are
 * those of the double 2 − probability (in [1, 2), its 52 mantissa bits), rounded half up.
 */
export function thresholdOf(probability: number, precision: number): string {
  if (probability === 1) return '0';
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, probability);
  // the exponent of frexp (probability = m · 2^exp, 0.5 ≤ m < 1)
  const exp = ((view.getUint32(0) >>> 20) & 0x7ff) - 1022;
  const digits = Math.max(1, Math.min(12, precision + Math.floor(exp / -4)));
  const rejection = 2 - probability + 0.5 * 16 ** -digits;
  let hex = 'fffffffffffff';
  if (rejection < 2) {
    view.setFloat64(0, rejection);
    hex =
      (view.getUint32(0) & 0xfffff).toString(16).padStart(5, '0') +
      view.getUint32(4).toString(16).padStart(8, '0');
  }
  return hex.slice(0, digits).replace(/0+$/, '') || '0';
}
