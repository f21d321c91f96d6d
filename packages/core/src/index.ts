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
