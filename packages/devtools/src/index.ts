// Trace analysis: pure functions over one trace's spans (src/analysis).
export type { TraceAnalysis } from './analysis/analyze';
export { analyzeTrace } from './analysis/analyze';
export type { Bottleneck } from './analysis/bottlenecks';
export { BOTTLENECK_MIN_PERCENTAGE, findBottlenecks } from './analysis/bottlenecks';
export type { CriticalPathSection } from './analysis/critical-path';
export { criticalPath, criticalPathSections } from './analysis/critical-path';
export { busyTime, serviceBreakdown, wallClockShares } from './analysis/service-breakdown';
export type { SpanNode, SpanTree } from './analysis/span-tree';
export { buildSpanTree } from './analysis/span-tree';
export type { SpanKindName, SpanLog, SpanStatusName, SpanView } from './analysis/span-view';
export { spanKindName, spanStatusName, spanView } from './analysis/span-view';
export type { TraceLike, TraceSpans } from './analysis/trace-like';
export type { ServiceStats, TraceStats, TraceStatsOptions } from './analysis/trace-stats';
export { nearestRank, traceStats } from './analysis/trace-stats';
export type { TraceSummary } from './analysis/trace-summary';
export { traceSummary } from './analysis/trace-summary';
export type { TraceView } from './analysis/trace-view';
export { traceView } from './analysis/trace-view';
export type { TraceWaterfall, WaterfallNode } from './analysis/visualize';
export { traceWaterfall } from './analysis/visualize';
// Manual spans and trace queries of the HTTP API (src/api).
export type { TraceQuery } from './api/trace-query';
export { parseTraceQuery } from './api/trace-query';
// The span model devtools stores (src/model).
export type {
  Attributes,
  AttributeValue,
  SpanEvent,
  SpanKindNumber,
  SpanLink,
  StatusCodeNumber,
  StoredSpan,
} from './model';
export { durationOf, isErrorSpan, parentIsRemote, UNKNOWN_SERVICE } from './model';
// OTLP/HTTP trace receiver: protobuf and JSON bodies to validated spans (src/otlp).
export type { ReadBodyResult } from './otlp/read-request-body';
export { readRequestBody } from './otlp/read-request-body';
export type {
  OtlpTraceRequest,
  ReceiveTracesOptions,
  ReceiveTracesResult,
} from './otlp/receive-traces';
export { DEFAULT_MAX_BODY_BYTES, receiveTraces } from './otlp/receive-traces';
// The local collector: receiver, API and waterfall view in one HTTP server (src/server).
export type { DevServer, DevServerOptions } from './server';
export { startDevServer } from './server';
// Trace store: aggregation, idle completion, tail sampling, bounds, append-only log (src/store).
export { estimateSpanBytes } from './store/span-bytes';
export type { TailSamplingOptions } from './store/tail-sampling';
export type { TraceRecord } from './store/trace-record';
export type { StoreCounters, TraceStoreOptions } from './store/trace-store';
export { TraceStore } from './store/trace-store';
