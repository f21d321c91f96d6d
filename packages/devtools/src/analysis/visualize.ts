import type { SpanNode } from './span-tree';
import { buildSpanTree, traceRootNode } from './span-tree';
import type { SpanStatusName } from './span-view';
import { spanStatusName } from './span-view';
import type { TraceSpans } from './trace-like';

/** One span of the waterfall (the README's visualize `Node`). */
export interface WaterfallNode {
  spanId: string;
  parentSpanId: string | null;
  service: string;
  operation: string;
  /** Epoch ms, as recorded. */
  startTime: number;
  /** ms from the trace's start (its earliest span's start) to this span's start. */
  offset: number;
  /** ms, as recorded. */
  duration: number;
  status: SpanStatusName;
  /** By start time. */
  children: WaterfallNode[];
}

/** The body of `GET /traces/:traceId/visualize`. */
export interface TraceWaterfall {
  traceId: string;
  /** ms, from the earliest start to the latest end. */
  duration: number;
  /**
   * The root span's node (see `traceRoot`: the earliest span without a parent id, else the
   * earliest whose parent is not in the trace); null only without spans or for a parent cycle.
   */
  tree: WaterfallNode | null;
  /** Every root, by start time: the root span's node and those of spans whose parent is absent. */
  roots: WaterfallNode[];
}

/** One trace as nested nodes, for drawing a waterfall. */
export function traceWaterfall(trace: TraceSpans): TraceWaterfall {
  const tree = buildSpanTree(trace.spans);
  const views = new Map<SpanNode, WaterfallNode>();
  // Parents come before children in `nodes`, so each child's parent view already exists.
  for (const node of tree.nodes) {
    const span = node.span;
    const view: WaterfallNode = {
      spanId: span.spanId,
      parentSpanId: span.parentSpanId ?? null,
      service: span.service,
      operation: span.name,
      startTime: span.startTime,
      offset: span.startTime - tree.startTime,
      duration: span.endTime - span.startTime,
      status: spanStatusName(span.status.code),
      children: [],
    };
    views.set(node, view);
    if (node.parent !== undefined) views.get(node.parent)!.children.push(view);
  }
  const roots = tree.roots.map((root) => views.get(root)!);
  const rootNode = traceRootNode(tree);
  return {
    traceId: trace.traceId,
    duration: tree.duration,
    tree: rootNode === undefined ? null : views.get(rootNode)!,
    roots,
  };
}
