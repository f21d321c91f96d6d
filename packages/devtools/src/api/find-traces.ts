import type { TraceSummary } from '../analysis/trace-summary';
import { traceSummary } from '../analysis/trace-summary';
import type { StoredSpan } from '../model';
import type { TraceRecord } from '../store/trace-record';
import type { TraceQuery } from './trace-query';

function hasMatchingSpan(spans: readonly StoredSpan[], query: TraceQuery): boolean {
  const { serviceName, operationName } = query;
  if (serviceName === undefined && operationName === undefined) return true;
  for (const span of spans) {
    if (serviceName !== undefined && span.service !== serviceName) continue;
    if (operationName !== undefined && span.name !== operationName) continue;
    return true;
  }
  return false;
}

/** The summaries of the traces that match, newest first; `traces` must be newest first. */
export function findTraces(traces: Iterable<TraceRecord>, query: TraceQuery): TraceSummary[] {
  const found: TraceSummary[] = [];
  for (const trace of traces) {
    if (query.start !== undefined && trace.startTime < query.start) continue;
    if (query.end !== undefined && trace.startTime > query.end) continue;
    const duration = trace.endTime - trace.startTime;
    if (query.minDuration !== undefined && duration < query.minDuration) continue;
    if (query.maxDuration !== undefined && duration > query.maxDuration) continue;
    if (!hasMatchingSpan(trace.spans, query)) continue;
    // The record counts a span sent twice twice; the summary's count is the deciding one.
    const summary = traceSummary(trace);
    if (query.status !== undefined && summary.status !== query.status) continue;
    found.push(summary);
    if (found.length === query.limit) break;
  }
  return found;
}
