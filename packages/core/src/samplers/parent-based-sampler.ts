import { AlwaysOffSampler } from './always-off-sampler';
import { AlwaysOnSampler } from './always-on-sampler';
import { BuiltInSampler } from './built-in-sampler';
import { decide } from './decide';
import { meetsThreshold, readRandomness, readThreshold, withThreshold } from './ot-trace-state';
import {
  inputTraceId,
  ParentKind,
  type Sampler,
  SamplingDecision,
  type SamplingInput,
} from './sampler';

export interface ParentBasedSamplerOptions {
  /** Decides for spans without a parent. */
  root: Sampler;
  /** Default: always on. */
  remoteParentSampled?: Sampler | undefined;
  /** Default: always off. */
  remoteParentNotSampled?: Sampler | undefined;
  /** Default: always on. */
  localParentSampled?: Sampler | undefined;
  /** Default: always off. */
  localParentNotSampled?: Sampler | undefined;
}

/** Follows the parent's sampled flag; the root sampler decides for spans without a parent. */
export class ParentBasedSampler extends BuiltInSampler {
  private readonly _root: Sampler;
  private readonly _remoteSampled: Sampler;
  private readonly _remoteNotSampled: Sampler;
  private readonly _localSampled: Sampler;
  private readonly _localNotSampled: Sampler;

  constructor(options: ParentBasedSamplerOptions) {
    super();
    this._root = options.root;
    this._remoteSampled = options.remoteParentSampled ?? new AlwaysOnSampler();
    this._remoteNotSampled = options.remoteParentNotSampled ?? new AlwaysOffSampler();
    this._localSampled = options.localParentSampled ?? new AlwaysOnSampler();
    this._localNotSampled = options.localParentNotSampled ?? new AlwaysOffSampler();
  }

  decide(input: SamplingInput): SamplingDecision {
    switch (input.parent) {
      case ParentKind.NONE:
        return decide(this._root, input);
      case ParentKind.REMOTE: {
        if (!input.parentSampled) return decide(this._remoteNotSampled, input);
        const decision = decide(this._remoteSampled, input);
        // A sampled remote parent's threshold passed on as it came is checked against the trace's
        // randomness ("a parent-based sampler that receives and propagates a sampled context with
        // threshold should check that the sampled flag matches the expression rv >= th,
        // otherwise it should erase the threshold", tracestate-probability-sampling.md).
        if (
          decision === SamplingDecision.RECORD_AND_SAMPLED &&
          input.traceState === input.parentTraceState &&
          !thresholdHolds(input)
        ) {
          input.traceState = withThreshold(input.traceState, undefined);
        }
        return decision;
      }
      default:
        return decide(input.parentSampled ? this._localSampled : this._localNotSampled, input);
    }
  }

  toString(): string {
    return `ParentBased{root=${this._root}, remoteParentSampled=${this._remoteSampled}, remoteParentNotSampled=${this._remoteNotSampled}, localParentSampled=${this._localSampled}, localParentNotSampled=${this._localNotSampled}}`;
  }
}

/** Whether the trace state's `th`, if any, admits the trace's randomness (its `rv`, else its id). */
function thresholdHolds(input: SamplingInput): boolean {
  const threshold = readThreshold(input.traceState);
  if (threshold === undefined) return true;
  if (threshold === null) return false;
  let randomness = readRandomness(input.traceState);
  if (randomness === undefined) {
    const traceId = inputTraceId(input);
    randomness = [traceId.randomHigh, traceId.randomLow];
  }
  return meetsThreshold(randomness[0], randomness[1], threshold[0], threshold[1]);
}
