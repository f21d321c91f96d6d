import { BuiltInSampler } from './built-in-sampler';
import { SamplingDecision } from './sampler';

export class AlwaysOnSampler extends BuiltInSampler {
  decide(): SamplingDecision {
    return SamplingDecision.RECORD_AND_SAMPLED;
  }

  toString(): string {
    return 'AlwaysOnSampler';
  }
}
