/**
 * The JSON shapes the UI reads: the server's own view types (the package README's "HTTP API"),
 * imported as types only, so the browser bundle carries none of the server's code.
 */

export type { TraceAnalysis } from '../analysis/analyze';
export type { Bottleneck } from '../analysis/bottlenecks';
export type { SpanKindName, SpanLog, SpanView } from '../analysis/span-view';
export type { TraceSummary } from '../analysis/trace-summary';
export type { TraceView } from '../analysis/trace-view';
export type { AttributeValue as TagValue } from '../model';

import type { TraceSummary } from '../analysis/trace-summary';

/** The body of `GET /traces/query`. */
export interface TraceQueryResult {
  traces: TraceSummary[];
}

/** The body of every 4xx and 5xx of the API. */
export interface ApiError {
  error: string;
}
