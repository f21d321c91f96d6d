/**
 * The JSON shapes the UI reads, as the package README's "HTTP API" section defines them.
 * Type-only: the browser bundle carries none of this.
 */

export type TagValue = string | number | boolean | null | TagValue[] | { [key: string]: TagValue };

export type SpanKindName =
  | 'unspecified'
  | 'internal'
  | 'server'
  | 'client'
  | 'producer'
  | 'consumer';

export type SpanStatus = 'ok' | 'error' | 'unset';

export interface SpanLog {
  timestamp: number;
  name: string;
  fields: Record<string, TagValue>;
}

export interface SpanView {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  service: string;
  operation: string;
  kind: SpanKindName;
  startTime: number;
  duration: number;
  status: SpanStatus;
  statusMessage?: string;
  tags: Record<string, TagValue>;
  logs: SpanLog[];
  resource: Record<string, TagValue>;
  scope: { name: string; version?: string };
}

export interface TraceView {
  traceId: string;
  rootSpan: SpanView | null;
  spans: SpanView[];
  serviceCalls: Record<string, number>;
  duration: number;
  status: 'ok' | 'error';
  startTime: number;
  services: string[];
  spanCount: number;
  complete: boolean;
}

export interface TraceSummary {
  traceId: string;
  rootService: string;
  rootOperation: string;
  startTime: number;
  duration: number;
  spanCount: number;
  services: string[];
  status: 'ok' | 'error';
  errorCount: number;
  complete: boolean;
}

export interface TraceQueryResult {
  traces: TraceSummary[];
}

export interface Bottleneck {
  spanId: string;
  service: string;
  operation: string;
  /** Own time: the span's duration less its children's. */
  duration: number;
  percentage: number;
}

export interface TraceAnalysis {
  traceId: string;
  totalDuration: number;
  serviceCalls: Record<string, number>;
  bottlenecks: Bottleneck[];
  /** Wall-clock ms per service, concurrent work split evenly. */
  serviceBreakdown: Record<string, number>;
  criticalPath: string[];
  criticalPathSpanIds: string[];
}

export interface ApiError {
  error: string;
}
