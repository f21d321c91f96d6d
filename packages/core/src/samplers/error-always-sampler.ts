import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import { type ErrorBufferOptions, SegmentBuffer } from './error-segment';
import {
  decide,
  type FastSampler,
  type Sampler,
  SamplingDecision,
  type SamplingInput,
  type SamplingResult,
} from './sampler';
import { samplingInputFromArguments, toSamplingResult } from './sampling-input-from-context';

/**
 * Keeps every trace segment that fails, whatever the head sampler decided. Spans the head
 * sampler drops are recorded anyway (RECORD, not sampled) and held per local trace segment; the
 * tracer attaches them to segments of `buffer`. A segment with an ERROR span or a recorded
 * exception is exported whole, the others are discarded when their local root ends.
 */
export class ErrorAlwaysSampler implements FastSampler {
  readonly buffer: SegmentBuffer;

  constructor(
    readonly head: Sampler,
    options?: ErrorBufferOptions,
  ) {
    this.buffer = new SegmentBuffer(options);
  }

  decide(input: SamplingInput): SamplingDecision {
    const decision = decide(this.head, input);
    return decision === SamplingDecision.NOT_RECORD ? SamplingDecision.RECORD : decision;
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
    return `ErrorAlways{${this.head}}`;
  }
}
