import type { StoredSpan } from '../model';
import { parentIsRemote } from '../model';

/**
 * Which span a trace is rooted at, for every view (`rootSpan`, the summaries, the waterfall's
 * `tree`, the critical path's tie-break, the UI): the earliest span without a parent id; while
 * there is none, the earliest span whose parent is not among the trace's spans (an orphan at the
 * top), as Jaeger and Tempo root a trace that continues a `traceparent` from a browser, curl or a
 * service that exports elsewhere. Among orphans, one whose sender flagged its parent as remote
 * (OTLP span flags) comes first: it is where the request entered this system, while an orphan
 * whose parent is local waits for a parent that has not been exported yet. When a better root
 * arrives later (the real one), the views switch to it. Ties in start time go to the lower span
 * id, so the choice does not depend on arrival order.
 */

/** How strongly a span claims its trace's root; lower is stronger. */
const NO_PARENT = 0;
const REMOTE_PARENT_MISSING = 1;
const PARENT_MISSING = 2;

/**
 * The span's claim, given whether a span id is among the trace's spans: undefined when its parent
 * is there (a parent cycle, or a span naming itself as its parent, roots no trace).
 */
function rootRank(span: StoredSpan, isInTrace: (spanId: string) => boolean): number | undefined {
  const parent = span.parentSpanId;
  if (parent === undefined) return NO_PARENT;
  if (isInTrace(parent)) return undefined;
  return parentIsRemote(span) === true ? REMOTE_PARENT_MISSING : PARENT_MISSING;
}

/** `a` starts before `b`, or with it and has the lower span id. */
export const startsBefore = (a: StoredSpan, b: StoredSpan): boolean =>
  a.startTime < b.startTime || (a.startTime === b.startTime && a.spanId < b.spanId);

/**
 * The trace's root among `spans` (deduplicated by span id), or undefined when no span can be one
 * (none, or only spans whose parents form a cycle). `isInTrace` tells whether a span id is one of
 * the trace's; `spans` may be only the candidates (a span tree's roots), since a span whose parent
 * is in the trace is never one.
 */
export function traceRoot(
  spans: Iterable<StoredSpan>,
  isInTrace: (spanId: string) => boolean,
): StoredSpan | undefined {
  let root: StoredSpan | undefined;
  let best = Number.POSITIVE_INFINITY;
  for (const span of spans) {
    const rank = rootRank(span, isInTrace);
    if (rank === undefined || rank > best) continue;
    if (rank < best || startsBefore(span, root!)) {
      root = span;
      best = rank;
    }
  }
  return root;
}
