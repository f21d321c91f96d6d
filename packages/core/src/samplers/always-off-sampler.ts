import { BuiltInSampler } from './built-in-sampler';
import { SamplingDecision } from './sampler';

export class AlwaysOffSampler extends BuiltInSampler {
  decide(): SamplingDecision {
    return SamplingDecision.NOT_RECORD;
  }

  toString(): string {
    return 'AlwaysOffSampler';
  }
}
