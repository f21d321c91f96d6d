import type { StoredSpan } from '../model';
import { traceRoot } from './trace-root';

/**
 * A span in its trace's tree.
 *
 * The analysis uses each span's recorded interval as it is: a child may start before or end after
 * its parent. That is routine within one process (Next.js ends the request span it starts for
 * matched middleware before the route handler's child span ends; `after()` callbacks,
 * fire-and-forget calls and flushes outlive the span that started them), and across services it can
 * also be clock skew, which the analysis cannot tell apart and does not correct. So own time, the
 * wall-clock service breakdown, busy time and the critical path all work on recorded intervals.
 */
export interface SpanNode {
  readonly span: StoredSpan;
  /** The parent's node; undefined for a root. */
  readonly parent: SpanNode | undefined;
  /** By start time, then span id. */
  readonly children: readonly SpanNode[];
  /** 0 for a root. */
  readonly depth: number;
  /**
   * Own ("self") time in ms: the span's duration minus the measure of the union of its children's
   * intervals within the span's own interval, so concurrent children are subtracted once and the
   * part of a child outside its parent (work that outlived it, or started before it) does not
   * reduce the parent's own time. 0 ≤ ownTime ≤ the span's duration. What bottlenecks rank. Unlike the span's share of the wall-clock time
   * (see `wallClockShares`), it is not split with concurrent siblings or other roots.
   */
  readonly ownTime: number;
}

/** One trace's spans as a forest. */
export interface SpanTree {
  /**
   * By start time, then span id: spans without a parent, spans whose parent is not in the trace
   * (not arrived, or dropped), and, for malformed input whose parent links form a cycle, the
   * earliest-starting span of each cycle.
   */
  readonly roots: readonly SpanNode[];
  /** Every span once, depth first, each parent before its children, roots in order. */
  readonly nodes: readonly SpanNode[];
  /** Every node by span id. */
  readonly byId: ReadonlyMap<string, SpanNode>;
  /** The earliest start of any span (0 without spans). */
  readonly startTime: number;
  /** The latest end of any span (0 without spans). */
  readonly endTime: number;
  /** The trace's duration: from the earliest start to the latest end. */
  readonly duration: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
interface BuildNode extends Mutable<SpanNode> {
  parent: BuildNode | undefined;
  children: BuildNode[];
}

const byStart = (a: BuildNode, b: BuildNode): number =>
  a.span.startTime - b.span.startTime || (a.span.spanId < b.span.spanId ? -1 : 1);

const clamp = (value: number, low: number, high: number): number =>
  Math.min(Math.max(value, low), high);

/**
 * Builds the tree of one trace's spans, given in any order. Duplicate span ids: the later span
 * wins. A span whose parent is absent is a root. O(n log n).
 */
export function buildSpanTree(spans: Iterable<StoredSpan>): SpanTree {
  const byId = new Map<string, BuildNode>();
  for (const span of spans) {
    byId.set(span.spanId, {
      span,
      parent: undefined,
      children: [],
      depth: 0,
      ownTime: 0,
    });
  }
  const all = [...byId.values()];
  for (const node of all) {
    const parentId = node.span.parentSpanId;
    if (parentId !== undefined && parentId !== node.span.spanId) node.parent = byId.get(parentId);
  }
  breakCycles(all);

  const roots: BuildNode[] = [];
  let startTime = Number.POSITIVE_INFINITY;
  let endTime = Number.NEGATIVE_INFINITY;
  for (const node of all) {
    if (node.parent === undefined) roots.push(node);
    else node.parent.children.push(node);
    if (node.span.startTime < startTime) startTime = node.span.startTime;
    if (node.span.endTime > endTime) endTime = node.span.endTime;
  }
  if (all.length === 0) startTime = endTime = 0;
  roots.sort(byStart);

  // Depth first, iteratively (a trace can be thousands of spans deep).
  const nodes: BuildNode[] = [];
  const stack: BuildNode[] = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push(roots[i]);
  while (stack.length > 0) {
    const node = stack.pop()!;
    nodes.push(node);
    const parent = node.parent;
    if (parent !== undefined) node.depth = parent.depth + 1;
    const children = node.children;
    children.sort(byStart);
    node.ownTime = ownTimeOf(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }

  return { roots, nodes, byId, startTime, endTime, duration: endTime - startTime };
}

/** The node of the trace's root (see `traceRoot`), one of the tree's roots. */
export function traceRootNode(tree: SpanTree): SpanNode | undefined {
  const byId = tree.byId;
  const root = traceRoot(
    tree.roots.map((node) => node.span),
    (spanId) => byId.has(spanId),
  );
  return root === undefined ? undefined : byId.get(root.spanId);
}

/**
 * The span's duration not covered by any child's interval. Only the part of each child inside the
 * span counts: a child's interval is cut to the span's before the merge. Children are sorted by
 * start, and cutting keeps that order, so one merge pass measures the union.
 */
function ownTimeOf(node: BuildNode): number {
  const start = node.span.startTime;
  const end = node.span.endTime;
  let uncovered = 0;
  let reached = start;
  for (const child of node.children) {
    const from = clamp(child.span.startTime, start, end);
    const to = clamp(child.span.endTime, start, end);
    if (from > reached) uncovered += from - reached;
    if (to > reached) reached = to;
  }
  uncovered += end - reached;
  // The sum of the gaps can round past the duration (62.2 → 62.9032 → 150.1 sums to 1e-14 more).
  return Math.max(0, Math.min(uncovered, end - start));
}

/**
 * Malformed input can link parents in a cycle (a → b → a); no span of it would hang below a root.
 * Each cycle is cut at its earliest-starting span, which becomes a root. Walks each parent chain
 * once: O(n).
 */
function breakCycles(all: BuildNode[]): void {
  const UNSEEN = 0;
  const ON_PATH = 1;
  const DONE = 2;
  const state = new Map<BuildNode, number>();
  const path: BuildNode[] = [];
  for (const first of all) {
    if ((state.get(first) ?? UNSEEN) !== UNSEEN) continue;
    let node: BuildNode | undefined = first;
    while (node !== undefined && (state.get(node) ?? UNSEEN) === UNSEEN) {
      state.set(node, ON_PATH);
      path.push(node);
      node = node.parent;
    }
    if (node !== undefined && state.get(node) === ON_PATH) {
      // The cycle is the part of the path from `node` on.
      let cut = node;
      for (let i = path.lastIndexOf(node); i < path.length; i++) {
        if (byStart(path[i], cut) < 0) cut = path[i];
      }
      cut.parent = undefined;
    }
    for (const done of path) state.set(done, DONE);
    path.length = 0;
  }
}
