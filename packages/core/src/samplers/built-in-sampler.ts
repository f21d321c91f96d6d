import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import type { FastSampler, SamplingDecision, SamplingInput, SamplingResult } from './sampler';
import { samplingInputFromArguments, toSamplingResult } from './sampling-input-from-context';

/**
 * spanlite's samplers decide from a `SamplingInput` (the tracer's fast path); the standard
 * `shouldSample`, for other SDKs and for samplers that wrap them, builds one from its arguments.
 */
export abstract class BuiltInSampler implements FastSampler {
  abstract decide(input: SamplingInput): SamplingDecision;
  abstract toString(): string;

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
}
