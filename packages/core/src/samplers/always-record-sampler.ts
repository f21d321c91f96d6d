import { BuiltInSampler } from './built-in-sampler';
import { decide } from './decide';
import { type Sampler, SamplingDecision, type SamplingInput } from './sampler';

/**
 * Records every span its delegate drops, without sampling it (the specification's AlwaysRecord,
 * Development; the 3.x reference SDK has it as `createAlwaysRecordSampler`): a NOT_RECORD becomes
 * RECORD, so span processors see every span (to count or measure them) while exporters still get
 * only the sampled ones, and the sampling rate is unchanged.
 */
export class AlwaysRecordSampler extends BuiltInSampler {
  private readonly _delegate: Sampler;

  constructor(delegate: Sampler) {
    super();
    this._delegate = delegate;
  }

  /** The error-always buffer of a wrapped ErrorAlwaysSampler, which the provider then runs. */
  get buffer(): unknown {
    return (this._delegate as { buffer?: unknown }).buffer;
  }

  decide(input: SamplingInput): SamplingDecision {
    const decision = decide(this._delegate, input);
    return decision === SamplingDecision.NOT_RECORD ? SamplingDecision.RECORD : decision;
  }

  toString(): string {
    return `AlwaysRecordSampler{${String(this._delegate)}}`;
  }
}
