export type { SamplingHint } from './context/sampling-hint';
export { getSamplingHint, setSamplingHint } from './context/sampling-hint';
export {
  isTracingSuppressed,
  suppressTracing,
  unsuppressTracing,
} from './context/suppress-tracing';
export type {
  FinishedLink,
  FinishedSpan,
  InstrumentationScope,
  ResourceLike,
  TimedEvent,
} from './export/finished-span';
export type { ExportResult, SpanExporter } from './export/span-exporter';
export { ExportResultCode } from './export/span-exporter';
export type { CompositePropagatorOptions } from './propagation/composite-propagator';
export { CompositePropagator } from './propagation/composite-propagator';
export { createDefaultPropagator } from './propagation/default-propagator';
export {
  isLowerHex,
  isNonZeroLowerHex,
  readHeaderLines,
  readSingleHeader,
} from './propagation/header-value';
export type { ParsedTraceParent } from './propagation/trace-parent';
export { formatTraceParent, parseTraceParent } from './propagation/trace-parent';
export {
  createTraceState,
  isValidTraceStateKey,
  isValidTraceStateValue,
  MAX_TRACE_STATE_MEMBERS,
  parseTraceState,
  truncateTraceState,
} from './propagation/trace-state';
export { BAGGAGE_HEADER, W3CBaggagePropagator } from './propagation/w3c-baggage-propagator';
export type { W3CTraceContextPropagatorOptions } from './propagation/w3c-trace-context-propagator';
export {
  TRACE_PARENT_HEADER,
  TRACE_STATE_HEADER,
  W3CTraceContextPropagator,
} from './propagation/w3c-trace-context-propagator';
