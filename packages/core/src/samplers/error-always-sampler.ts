import { BuiltInSampler } from './built-in-sampler';
import { decide } from './decide';
import { type ErrorBufferOptions, SegmentBuffer } from './error-segment';
import { type Sampler, SamplingDecision, type SamplingInput } from './sampler';

/**
 * Keeps every trace segment that fails, whatever the head sampler decided. Spans the head
 * sampler drops are recorded anyway (RECORD, not sampled) and held per local trace segment; the
 * tracer attaches them to segments of `buffer`. A segment with an ERROR span or a recorded
 * exception is exported whole, the others are discarded when their local root ends.
 */
export class ErrorAlwaysSampler extends BuiltInSampler {
  readonly buffer: SegmentBuffer;

  constructor(
    readonly head: Sampler,
    options?: ErrorBufferOptions,
  ) {
    super();
    this.buffer = new SegmentBuffer(options);
  }

  decide(input: SamplingInput): SamplingDecision {
    const decision = decide(this.head, input);
    return decision === SamplingDecision.NOT_RECORD ? SamplingDecision.RECORD : decision;
  }

  toString(): string {
    return `ErrorAlways{${this.head}}`;
  }
}
