export type { ConsoleSpanExporterOptions } from './console-span-exporter';
export { ConsoleSpanExporter, formatDuration, formatTraces } from './console-span-exporter';
export { InMemorySpanExporter } from './in-memory-span-exporter';
export type { ReadableSpanLike, SdkTraceBaseSpanExporter } from './interop/sdk-trace-base-adapter';
export { toSdkTraceBaseExporter } from './interop/sdk-trace-base-adapter';
export { encodeJsonTraceRequest } from './otlp/encode-json';
export { encodeProtobufTraceRequest } from './otlp/encode-protobuf';
export type {
  EnvLike,
  OtlpCompression,
  OtlpConfig,
  OtlpConfigOptions,
  OtlpProtocol,
  RetryOptions,
} from './otlp/otlp-config';
export {
  DEFAULT_OTLP_TRACES_URL,
  DEFAULT_TIMEOUT_MILLIS,
  resolveOtlpConfig,
} from './otlp/otlp-config';
export type { TransportHooks } from './otlp/otlp-http-transport';
export type { OtlpExporterStats, OtlpTraceExporterOptions } from './otlp/otlp-trace-exporter';
export { OtlpTraceExporter } from './otlp/otlp-trace-exporter';
export type { PartialSuccess } from './otlp/partial-success';
export type { RetryPolicy } from './otlp/retry-policy';
export { backoffDelay, DEFAULT_RETRY_POLICY } from './otlp/retry-policy';
export type { TlsFile, TlsFileOptions, TlsFiles } from './otlp/tls-files';
