import {
  type Attributes,
  type Context,
  isSpanContextValid,
  type Link,
  type SpanKind,
  trace,
} from '@opentelemetry/api';
import { TraceId } from '../ids/trace-id';
import { ParentKind, type SamplingInput, type SamplingResult } from './sampler';

const TRACE_ID = /^[0-9a-f]{32}$/;

/** The standard `shouldSample` arguments as a `SamplingInput`, for the built-in samplers' slow path. */
export function samplingInputFromArguments(
  context: Context,
  traceId: string,
  name: string,
  kind: SpanKind,
  attributes: Attributes,
  links: Link[],
): SamplingInput {
  const parent = trace.getSpanContext(context);
  const valid = parent !== undefined && isSpanContextValid(parent);
  const id = TRACE_ID.test(traceId) ? traceId : '00000000000000000000000000000000';
  return {
    parent: !valid ? ParentKind.NONE : parent.isRemote ? ParentKind.REMOTE : ParentKind.LOCAL,
    parentSampled: valid && (parent.traceFlags & 1) === 1,
    traceId: TraceId.fromHex(id),
    parentTraceState: valid ? parent.traceState : undefined,
    traceState: valid ? parent.traceState : undefined,
    attributes: undefined,
    context,
    name,
    kind,
    spanAttributes: attributes,
    links,
  };
}

/** The decision with what a sampler put in `input`: the trace state, and attributes a delegate added. */
export function toSamplingResult(
  decision: SamplingResult['decision'],
  input: SamplingInput,
): SamplingResult {
  return { decision, traceState: input.traceState, attributes: input.attributes };
}
