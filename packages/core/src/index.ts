export type {
  FinishedLink,
  FinishedSpan,
  InstrumentationScope,
  ResourceLike,
  TimedEvent,
} from './export/finished-span';
export type { ExportResult, SpanExporter } from './export/span-exporter';
export { ExportResultCode } from './export/span-exporter';
