import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import { AlwaysOffSampler } from './always-off-sampler';
import { AlwaysOnSampler } from './always-on-sampler';
import {
  decide,
  type FastSampler,
  ParentKind,
  type Sampler,
  type SamplingDecision,
  type SamplingInput,
  type SamplingResult,
} from './sampler';
import { samplingInputFromArguments, toSamplingResult } from './sampling-input-from-context';

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
export class ParentBasedSampler implements FastSampler {
  private readonly _root: Sampler;
  private readonly _remoteSampled: Sampler;
  private readonly _remoteNotSampled: Sampler;
  private readonly _localSampled: Sampler;
  private readonly _localNotSampled: Sampler;

  constructor(options: ParentBasedSamplerOptions) {
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

  shouldSample(
    context: Context,
    traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    const input = samplingInputFromArguments(context, traceId, name, kind, attributes, links);
    return toSamplingResult(this.decide(input), input);
  }

  toString(): string {
    return `ParentBased{root=${this._root}, remoteParentSampled=${this._remoteSampled}, remoteParentNotSampled=${this._remoteNotSampled}, localParentSampled=${this._localSampled}, localParentNotSampled=${this._localNotSampled}}`;
  }
}
