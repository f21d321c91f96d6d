export type { EnvSource } from './config/env';
// The readers of OTEL_* values, shared with spanlite's other packages.
export {
  defaultEnv as processEnv,
  readString as readEnvString,
  readText as readEnvText,
  reportEnv,
} from './config/env';
export { AsyncLocalStorageContextManager } from './context/async-local-storage-context-manager';
export { createContextManager } from './context/create-context-manager';
export type { SamplingHint } from './context/sampling-hint';
export { getSamplingHint, setSamplingHint } from './context/sampling-hint';
export { setSpanContext } from './context/set-span-context';
export { StackContextManager } from './context/stack-context-manager';
export {
  isTracingSuppressed,
  suppressTracing,
  unsuppressTracing,
} from './context/suppress-tracing';
export { isCheckedSpan } from './export/checked-span';
export type {
  FinishedLink,
  FinishedSpan,
  InstrumentationScope,
  ResourceLike,
  TimedEvent,
} from './export/finished-span';
export type { ExportResult, SpanExporter } from './export/span-exporter';
export { ExportResultCode } from './export/span-exporter';
export type { IdGenerator } from './ids/id-generator';
export type {
  BatchSpanProcessorOptions,
  BatchSpanProcessorStats,
} from './processors/batch-span-processor';
export { BatchSpanProcessor } from './processors/batch-span-processor';
export type { FlushResult } from './processors/flush-result';
export { SimpleSpanProcessor } from './processors/simple-span-processor';
export type { SpanProcessor } from './processors/span-processor';
export { unrefTimer } from './processors/unref-timer';
export { decodeBaggageValue } from './propagation/baggage-codec';
export type { CompositePropagatorOptions } from './propagation/composite-propagator';
export { CompositePropagator } from './propagation/composite-propagator';
export { readHeaderLines, readSingleHeader } from './propagation/header-value';
export {
  HEX_INVALID,
  HEX_NONZERO,
  HEX_ZERO,
  isLowerHexAt,
  scanLowerHex,
} from './propagation/lower-hex';
export {
  createDefaultPropagator,
  type PropagatorByName,
  propagatorFromEnvWith,
  propagatorFromNamesWith,
  w3cPropagatorByName,
} from './propagation/propagator-from-env';
export { RemoteSpanContext } from './propagation/remote-span-context';
export { SafePropagator } from './propagation/safe-propagator';
export type { ParsedTraceParent } from './propagation/trace-parent';
export {
  formatTraceParent,
  hasValidIds,
  parseTraceParent,
  W3C_RANDOM_FLAG,
} from './propagation/trace-parent';
export {
  createTraceState,
  isValidTraceStateKey,
  isValidTraceStateValue,
  MAX_TRACE_STATE_MEMBERS,
  parseTraceState,
  serializeTraceState,
  truncateTraceState,
} from './propagation/trace-state';
export { BAGGAGE_HEADER, W3CBaggagePropagator } from './propagation/w3c-baggage-propagator';
export type { W3CTraceContextPropagatorOptions } from './propagation/w3c-trace-context-propagator';
export {
  TRACE_PARENT_HEADER,
  TRACE_STATE_HEADER,
  W3CTraceContextPropagator,
} from './propagation/w3c-trace-context-propagator';
export { Resource } from './resource/resource';
export { AlwaysOffSampler } from './samplers/always-off-sampler';
export { AlwaysOnSampler } from './samplers/always-on-sampler';
export { AlwaysRecordSampler } from './samplers/always-record-sampler';
export { ErrorAlwaysSampler } from './samplers/error-always-sampler';
export type { ErrorBufferOptions, ErrorBufferStats } from './samplers/error-segment';
export { isTraceSegmentKept, keepTraceSegment } from './samplers/keep-trace-segment';
export type { ParentBasedSamplerOptions } from './samplers/parent-based-sampler';
export { ParentBasedSampler } from './samplers/parent-based-sampler';
export type { SamplerName, SamplerOptions } from './samplers/resolve-sampler';
export type { Sampler, SamplingResult } from './samplers/sampler';
export { SamplingDecision } from './samplers/sampler';
export { TraceIdRatioBasedSampler } from './samplers/trace-id-ratio-sampler';
export { attributesKey } from './trace/attribute-value';
export { localRootOf, startedByDebugHint } from './trace/local-root';
export type { SpanLimits, SpanLimitsOptions } from './trace/span-limits';
export { Tracer } from './trace/tracer';
export type { RegisterOptions, TracerProviderOptions } from './trace/tracer-provider';
export { TracerProvider } from './trace/tracer-provider';
export { VERSION } from './version';
