import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import { type FastSampler, SamplingDecision, type SamplingResult } from './sampler';

const RESULT: SamplingResult = { decision: SamplingDecision.RECORD_AND_SAMPLED };

export class AlwaysOnSampler implements FastSampler {
  decide(): SamplingDecision {
    return SamplingDecision.RECORD_AND_SAMPLED;
  }

  shouldSample(
    _context: Context,
    _traceId: string,
    _name: string,
    _kind: SpanKind,
    _attributes: Attributes,
    _links: Link[],
  ): SamplingResult {
    return RESULT;
  }

  toString(): string {
    return 'AlwaysOnSampler';
  }
}
