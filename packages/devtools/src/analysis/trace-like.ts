import type { StoredSpan } from '../model';

/**
 * One trace's spans, as the analysis functions read them. `spans` is iterated once per call, so a
 * `Map`'s `values()` will do. Spans may come in any order; when two share a span id, the one later
 * in the iteration wins (a re-sent span is at least as complete as the first copy).
 */
export interface TraceSpans {
  readonly traceId: string;
  readonly spans: Iterable<StoredSpan>;
}

/** A trace as the store holds it: its spans, and whether it is complete (idle long enough). */
export interface TraceLike extends TraceSpans {
  readonly complete: boolean;
}

/** The spans with duplicate ids removed, the later copy winning, in first-seen order. */
export function uniqueSpans(spans: Iterable<StoredSpan>): StoredSpan[] {
  const byId = new Map<string, StoredSpan>();
  for (const span of spans) byId.set(span.spanId, span);
  return [...byId.values()];
}
