import { durationOf, isErrorSpan } from '../model';
import type { TraceLike } from './trace-like';
import type { TraceSummary } from './trace-summary';
import { summaryOf, traceFacts } from './trace-summary';

/** Aggregates over the spans of one service. */
export interface ServiceStats {
  /** Spans. */
  count: number;
  /** Mean span duration, ms. */
  avgDuration: number;
  /** Share of spans with ERROR status, 0–1. */
  errorRate: number;
  /** 99th percentile of span duration, ms, by nearest rank (see {@link nearestRank}). */
  p99: number;
}

/** The parts of the `/stats` body that come from the traces themselves. */
export interface TraceStats {
  /** Traces given. */
  totalTraces: number;
  /** Traces given that are not complete yet. */
  activeTraces: number;
  /** Traces given that are complete. */
  completedTraces: number;
  /** Traces with at least one span in error. */
  failedTraces: number;
  /** Mean trace duration, ms (0 without traces). */
  avgDuration: number;
  /** The longest traces, longest first (equal ones: newest first, then by id). */
  slowestTraces: TraceSummary[];
  /** Per service, keys in alphabetical order. */
  serviceStats: Record<string, ServiceStats>;
}

export interface TraceStatsOptions {
  /** How many traces `slowestTraces` lists; default 10. */
  slowest?: number;
}

/**
 * The value at percentile `p` (0–100) of ascending `sorted` values by the nearest-rank method: the
 * smallest value with at least p% of the values at or below it, i.e. the one at rank ⌈p/100 × n⌉
 * (1-based, at least 1). Always one of the values; no interpolation. NaN when there are none.
 */
export function nearestRank(sorted: readonly number[], p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const rank = Math.min(n, Math.max(1, Math.ceil((p * n) / 100)));
  return sorted[rank - 1];
}

/**
 * Aggregates over traces for `/stats`: counts, mean trace duration, the slowest traces and
 * per-service span statistics. Each trace's spans are iterated once; duplicates by span id count
 * once. O(S log S) for S spans in all.
 */
export function traceStats(
  traces: Iterable<TraceLike>,
  options: TraceStatsOptions = {},
): TraceStats {
  const slowest = Math.max(0, Math.floor(options.slowest ?? 10));
  let totalTraces = 0;
  let completedTraces = 0;
  let failedTraces = 0;
  let durationSum = 0;
  const summaries: TraceSummary[] = [];
  const durations = new Map<string, number[]>();
  const errors = new Map<string, number>();
  for (const trace of traces) {
    const facts = traceFacts(trace.spans);
    totalTraces++;
    if (trace.complete) completedTraces++;
    if (facts.errorCount > 0) failedTraces++;
    durationSum += facts.duration;
    summaries.push(summaryOf(trace, facts));
    for (const span of facts.spans) {
      let list = durations.get(span.service);
      if (list === undefined) durations.set(span.service, (list = []));
      list.push(durationOf(span));
      if (isErrorSpan(span)) errors.set(span.service, (errors.get(span.service) ?? 0) + 1);
    }
  }

  summaries.sort(
    (a, b) =>
      b.duration - a.duration || b.startTime - a.startTime || (a.traceId < b.traceId ? -1 : 1),
  );
  const services = [...durations.keys()].sort();
  const serviceStats = Object.fromEntries(
    services.map((service): [string, ServiceStats] => {
      const list = durations.get(service)!.sort((a, b) => a - b);
      let sum = 0;
      for (const duration of list) sum += duration;
      return [
        service,
        {
          count: list.length,
          avgDuration: sum / list.length,
          errorRate: (errors.get(service) ?? 0) / list.length,
          p99: nearestRank(list, 99),
        },
      ];
    }),
  );
  return {
    totalTraces,
    activeTraces: totalTraces - completedTraces,
    completedTraces,
    failedTraces,
    avgDuration: totalTraces === 0 ? 0 : durationSum / totalTraces,
    slowestTraces: summaries.slice(0, slowest),
    serviceStats,
  };
}
