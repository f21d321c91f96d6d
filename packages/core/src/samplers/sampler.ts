import type { Attributes, Context, Link, SpanKind, TraceState } from '@opentelemetry/api';
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

/** The trace id of the span being sampled, made now for a new trace. */
export function inputTraceId(input: SamplingInput): TraceId {
  return (input.traceId ??= TraceId.random());
}
