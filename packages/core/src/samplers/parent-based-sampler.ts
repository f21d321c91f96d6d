import { AlwaysOffSampler } from './always-off-sampler';
import { AlwaysOnSampler } from './always-on-sampler';
import { BuiltInSampler } from './built-in-sampler';
import { decide } from './decide';
import { ParentKind, type Sampler, type SamplingDecision, type SamplingInput } from './sampler';

export interface ParentBasedSamplerOptions {
  /** Decides for spans without a parent. */
  root: Sampler;
  /** Default: always on. */
  remoteParentSampled?: Sampler;
  /** Default: always off. */
  remoteParentNotSampled?: Sampler;
  /** Default: always on. */
  localParentSampled?: Sampler;
  /** Default: always off. */
  localParentNotSampled?: Sampler;
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
      case ParentKind.REMOTE:
        return decide(input.parentSampled ? this._remoteSampled : this._remoteNotSampled, input);
      default:
        return decide(input.parentSampled ? this._localSampled : this._localNotSampled, input);
    }
  }

  toString(): string {
    return `ParentBased{root=${this._root}, remoteParentSampled=${this._remoteSampled}, remoteParentNotSampled=${this._remoteNotSampled}, localParentSampled=${this._localSampled}, localParentNotSampled=${this._localNotSampled}}`;
  }
}
