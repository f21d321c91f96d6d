import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import { type FastSampler, SamplingDecision, type SamplingResult } from './sampler';

const RESULT: SamplingResult = { decision: SamplingDecision.NOT_RECORD };

export class AlwaysOffSampler implements FastSampler {
  decide(): SamplingDecision {
    return SamplingDecision.NOT_RECORD;
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
    return 'AlwaysOffSampler';
  }
}
