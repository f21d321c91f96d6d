import type { Bottleneck } from './bottlenecks';
import { findBottlenecks } from './bottlenecks';
import { criticalPath } from './critical-path';
import { serviceBreakdown } from './service-breakdown';
import { buildSpanTree } from './span-tree';
import type { TraceSpans } from './trace-like';

/** The body of `GET /traces/:traceId/analyze`. */
export interface TraceAnalysis {
  traceId: string;
  /** ms, from the earliest start to the latest end. */
  totalDuration: number;
  /** Spans per service, keys in alphabetical order. */
  serviceCalls: Record<string, number>;
  /** See {@link findBottlenecks}. */
  bottlenecks: Bottleneck[];
  /** See {@link serviceBreakdown}. */
  serviceBreakdown: Record<string, number>;
  /** `service:operation` of each span of {@link criticalPath}, root first. */
  criticalPath: string[];
  /** The same spans' ids. */
  criticalPathSpanIds: string[];
}

/** Where one trace spent its time: bottlenecks, wall-clock time per service, critical path. */
export function analyzeTrace(trace: TraceSpans): TraceAnalysis {
  const tree = buildSpanTree(trace.spans);
  const calls = new Map<string, number>();
  for (const node of tree.nodes) {
    calls.set(node.span.service, (calls.get(node.span.service) ?? 0) + 1);
  }
  const path = criticalPath(tree);
  return {
    traceId: trace.traceId,
    totalDuration: tree.duration,
    serviceCalls: Object.fromEntries([...calls].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
    bottlenecks: findBottlenecks(tree),
    serviceBreakdown: serviceBreakdown(tree),
    criticalPath: path.map((node) => `${node.span.service}:${node.span.name}`),
    criticalPathSpanIds: path.map((node) => node.span.spanId),
  };
}
