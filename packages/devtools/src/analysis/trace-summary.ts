import type { StoredSpan } from '../model';
import { isErrorSpan } from '../model';
import type { TraceLike } from './trace-like';
import { uniqueSpans } from './trace-like';
import { startsBefore, traceRoot } from './trace-root';

/** A trace in a list (the README's `TraceSummary`). */
export interface TraceSummary {
  traceId: string;
  /**
   * The root span's service (see `traceRoot`: an orphan at the top while no span without a parent
   * has arrived), or the earliest span's when none can be the root.
   */
  rootService: string;
  /** The root span's operation, or the earliest span's when none can be the root. */
  rootOperation: string;
  /**
   * What the list names the trace by: `rootOperation`, but where the root is a SERVER span
   * without `http.route` (Next.js's short pass of a proxy or middleware, named `GET`), the name of
   * the earliest SERVER span of the same service that has one: the route's.
   */
  operation: string;
  /** Epoch ms: the earliest start. */
  startTime: number;
  /** ms, from the earliest start to the latest end. */
  duration: number;
  spanCount: number;
  /** In alphabetical order. */
  services: string[];
  /** `error` when any span has ERROR status. */
  status: 'ok' | 'error';
  errorCount: number;
  complete: boolean;
}

/** What the trace-level views share, computed in one pass over deduplicated spans. */
export interface TraceFacts {
  spans: StoredSpan[];
  startTime: number;
  endTime: number;
  duration: number;
  /**
   * The trace's root (see `traceRoot`): the earliest span without a parent id, else the earliest
   * one whose parent is not in the trace. Undefined only without spans (or for a parent cycle).
   */
  rootSpan: StoredSpan | undefined;
  /** The earliest span. */
  firstSpan: StoredSpan | undefined;
  /** Span count per service, keys in alphabetical order. */
  serviceCalls: Record<string, number>;
  services: string[];
  errorCount: number;
}

const earlier = (a: StoredSpan, b: StoredSpan | undefined): boolean =>
  b === undefined || startsBefore(a, b);

export function traceFacts(spanList: Iterable<StoredSpan>): TraceFacts {
  const spans = uniqueSpans(spanList);
  let startTime = Number.POSITIVE_INFINITY;
  let endTime = Number.NEGATIVE_INFINITY;
  let rootSpan: StoredSpan | undefined;
  let firstSpan: StoredSpan | undefined;
  let errorCount = 0;
  const calls = new Map<string, number>();
  for (const span of spans) {
    if (span.startTime < startTime) startTime = span.startTime;
    if (span.endTime > endTime) endTime = span.endTime;
    if (earlier(span, firstSpan)) firstSpan = span;
    if (span.parentSpanId === undefined && earlier(span, rootSpan)) rootSpan = span;
    if (isErrorSpan(span)) errorCount++;
    calls.set(span.service, (calls.get(span.service) ?? 0) + 1);
  }
  if (spans.length === 0) startTime = endTime = 0;
  else if (rootSpan === undefined) {
    // No span without a parent id (what `traceRoot` prefers, found above): an orphan at the top.
    const ids = new Set<string>();
    for (const span of spans) ids.add(span.spanId);
    rootSpan = traceRoot(spans, (spanId) => ids.has(spanId));
  }
  const services = [...calls.keys()].sort();
  const serviceCalls = Object.fromEntries(
    services.map((service) => [service, calls.get(service)!]),
  );
  return {
    spans,
    startTime,
    endTime,
    duration: endTime - startTime,
    rootSpan,
    firstSpan,
    serviceCalls,
    services,
    errorCount,
  };
}

/** The summary of one trace, as `/traces/query` and `/stats` list it. */
export function traceSummary(trace: TraceLike): TraceSummary {
  return summaryOf(trace, traceFacts(trace.spans));
}

export function summaryOf(trace: TraceLike, facts: TraceFacts): TraceSummary {
  const head = facts.rootSpan ?? facts.firstSpan;
  return {
    traceId: trace.traceId,
    rootService: head?.service ?? '',
    rootOperation: head?.name ?? '',
    operation: head === undefined ? '' : requestOperation(head, facts.spans),
    startTime: facts.startTime,
    duration: facts.duration,
    spanCount: facts.spans.length,
    services: facts.services,
    status: facts.errorCount > 0 ? 'error' : 'ok',
    errorCount: facts.errorCount,
    complete: trace.complete,
  };
}

const SERVER = 2;

function requestOperation(head: StoredSpan, spans: StoredSpan[]): string {
  if (head.kind !== SERVER || head.attributes['http.route'] !== undefined) return head.name;
  let routed: StoredSpan | undefined;
  for (const span of spans) {
    if (
      span.kind === SERVER &&
      span.service === head.service &&
      span.attributes['http.route'] !== undefined &&
      earlier(span, routed)
    ) {
      routed = span;
    }
  }
  return routed?.name ?? head.name;
}
