import { diag, type Link } from '@opentelemetry/api';
import { BuiltInSampler } from './built-in-sampler';
import {
  inputTraceId,
  type Sampler,
  SamplingDecision,
  type SamplingInput,
  type SamplingResult,
} from './sampler';

const EMPTY_LINKS: Link[] = [];

/**
 * Decide with any sampler: a built-in sampler's own `decide` (the fast path), else the standard
 * `shouldSample` call. A sampler whose `shouldSample` is not the built-in one (a subclass that
 * overrides it, an object with a `decide` of its own) is asked through `shouldSample`.
 */
export function decide(sampler: Sampler, input: SamplingInput): SamplingDecision {
  if (sampler.shouldSample === BuiltInSampler.prototype.shouldSample) {
    return (sampler as BuiltInSampler).decide(input);
  }
  let result: SamplingResult;
  let decision: unknown;
  let traceState: SamplingResult['traceState'];
  let attributes: SamplingResult['attributes'];
  try {
    result = sampler.shouldSample(
      input.context,
      inputTraceId(input).hex,
      input.name,
      input.kind,
      input.spanAttributes ?? {},
      input.links ?? EMPTY_LINKS,
    );
    if (typeof result !== 'object' || result === null) {
      return samplerBug(sampler, `returned ${describe(result)}`);
    }
    // read once, here: a getter of the result may throw too
    decision = result.decision;
    traceState = result.traceState;
    attributes = result.attributes;
  } catch (error) {
    // A sampler's bug must not throw out of startSpan into the code that started the span
    // (Next.js's request handling, say): the span is dropped, and the bug reported once.
    return samplerBug(sampler, 'threw', error);
  }
  if (
    decision !== SamplingDecision.NOT_RECORD &&
    decision !== SamplingDecision.RECORD &&
    decision !== SamplingDecision.RECORD_AND_SAMPLED
  ) {
    return samplerBug(sampler, `returned the decision ${describe(decision)}`);
  }
  if (traceState !== undefined) input.traceState = traceState;
  if (attributes !== undefined) input.attributes = attributes;
  return decision;
}

/** A value for a message, without calling anything of it (`String()` may throw). */
function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) {
    return String(value);
  }
  return typeof value === 'string' ? JSON.stringify(value) : `a ${typeof value}`;
}

function samplerBug(sampler: Sampler, what: string, error?: unknown): SamplingDecision {
  if (!reportedSamplers.has(sampler)) {
    reportedSamplers.add(sampler);
    diag.error(`sampler ${safeName(sampler)} ${what}; its spans are dropped`, error);
  }
  return SamplingDecision.NOT_RECORD;
}

const reportedSamplers = new WeakSet<Sampler>();

function safeName(sampler: Sampler): string {
  try {
    return String(sampler);
  } catch {
    return '(unnamed)';
  }
}
