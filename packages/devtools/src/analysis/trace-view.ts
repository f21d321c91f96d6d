import { buildSpanTree } from './span-tree';
import type { SpanView } from './span-view';
import { spanView } from './span-view';
import type { TraceLike } from './trace-like';
import { traceFacts } from './trace-summary';

/** The body of `GET /traces/:traceId`. */
export interface TraceView {
  traceId: string;
  /**
   * The trace's root (see `traceRoot`): the earliest span without a parent id, else, while none
   * has arrived, the earliest span whose parent is not in the trace (its `parentMissing` is set);
   * null only without spans or for a parent cycle.
   */
  rootSpan: SpanView | null;
  /** By start time; a parent before a child starting at the same time, then by span id. */
  spans: SpanView[];
  /** Spans per service, keys in alphabetical order. */
  serviceCalls: Record<string, number>;
  /** ms, from the earliest start to the latest end. */
  duration: number;
  /** `error` when any span has ERROR status. */
  status: 'ok' | 'error';
  /** Epoch ms: the earliest start. */
  startTime: number;
  /** In alphabetical order. */
  services: string[];
  spanCount: number;
  complete: boolean;
}

/** One trace as `GET /traces/:traceId` shows it. */
export function traceView(trace: TraceLike): TraceView {
  const facts = traceFacts(trace.spans);
  const tree = buildSpanTree(facts.spans);
  const ordered = [...tree.nodes].sort(
    (a, b) =>
      a.span.startTime - b.span.startTime ||
      a.depth - b.depth ||
      (a.span.spanId < b.span.spanId ? -1 : 1),
  );
  const spans = ordered.map((node) => {
    const view = spanView(node.span);
    const parentId = node.span.parentSpanId;
    if (parentId !== undefined && !tree.byId.has(parentId)) view.parentMissing = true;
    return view;
  });
  const root = facts.rootSpan;
  return {
    traceId: trace.traceId,
    rootSpan:
      root === undefined ? null : (spans.find((view) => view.spanId === root.spanId) ?? null),
    spans,
    serviceCalls: facts.serviceCalls,
    duration: facts.duration,
    status: facts.errorCount > 0 ? 'error' : 'ok',
    startTime: facts.startTime,
    services: facts.services,
    spanCount: facts.spans.length,
    complete: trace.complete,
  };
}
