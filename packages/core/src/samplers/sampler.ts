import {
  type Attributes,
  type Context,
  diag,
  type Link,
  type SpanKind,
  type TraceState,
} from '@opentelemetry/api';
import { TraceId } from '../ids/trace-id';

/** The reference SDK's numbering, so its samplers and ours are interchangeable. */
export const SamplingDecision = { NOT_RECORD: 0, RECORD: 1, RECORD_AND_SAMPLED: 2 } as const;
export type SamplingDecision = (typeof SamplingDecision)[keyof typeof SamplingDecision];

export interface SamplingResult {
  readonly decision: SamplingDecision;
  readonly attributes?: Readonly<Attributes>;
  readonly traceState?: TraceState;
}

/** The OpenTelemetry Sampler interface (the same as @opentelemetry/sdk-trace-base's). */
export interface Sampler {
  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult;
  toString(): string;
}

export const ParentKind = { NONE: 0, LOCAL: 1, REMOTE: 2 } as const;
export type ParentKind = (typeof ParentKind)[keyof typeof ParentKind];

/**
 * What the tracer knows about a span about to start. The tracer fills one of these in place for
 * each span (no allocation); a built-in sampler decides from it without hex ids or a SamplingResult.
 */
export interface SamplingInput {
  parent: ParentKind;
  parentSampled: boolean;
  /** The trace id; for a new trace, undefined until a sampler asks (see `inputTraceId`). */
  traceId: TraceId | undefined;
  parentTraceState: TraceState | undefined;
  /** Out: the trace state the new span carries (starts as the parent's). */
  traceState: TraceState | undefined;
  /** Out: attributes a generic sampler asked to add. */
  attributes: Readonly<Attributes> | undefined;
  context: Context;
  name: string;
  kind: SpanKind;
  spanAttributes: Attributes | undefined;
  links: Link[] | undefined;
}

/** A sampler that also decides from a `SamplingInput` (all of spanlite's built-in samplers). */
export interface FastSampler extends Sampler {
  decide(input: SamplingInput): SamplingDecision;
}

const EMPTY_LINKS: Link[] = [];

/** The trace id of the span being sampled, made now for a new trace. */
export function inputTraceId(input: SamplingInput): TraceId {
  return (input.traceId ??= TraceId.random());
}

/** Decide with any sampler: the fast path where it has one, else the standard call. */
export function decide(sampler: Sampler, input: SamplingInput): SamplingDecision {
  const fast = (sampler as Partial<FastSampler>).decide;
  if (fast !== undefined) return fast.call(sampler, input);
  let result: SamplingResult;
  try {
    result = sampler.shouldSample(
      input.context,
      inputTraceId(input).hex,
      input.name,
      input.kind,
      input.spanAttributes ?? {},
      input.links ?? EMPTY_LINKS,
    );
  } catch (error) {
    // A sampler's bug must not throw out of startSpan into the code that started the span
    // (Next.js's request handling, say): the span is dropped, and the bug reported once.
    return samplerBug(sampler, 'threw', error);
  }
  if (typeof result !== 'object' || result === null) {
    return samplerBug(sampler, `returned ${describe(result)}`);
  }
  const decision = result.decision;
  if (
    decision !== SamplingDecision.NOT_RECORD &&
    decision !== SamplingDecision.RECORD &&
    decision !== SamplingDecision.RECORD_AND_SAMPLED
  ) {
    return samplerBug(sampler, `returned the decision ${describe(decision)}`);
  }
  if (result.traceState !== undefined) input.traceState = result.traceState;
  if (result.attributes !== undefined) input.attributes = result.attributes;
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
