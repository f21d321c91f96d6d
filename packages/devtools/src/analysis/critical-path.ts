import type { SpanNode, SpanTree } from './span-tree';
import { traceRootNode } from './span-tree';

/** A stretch of time, in ms, that one span of the critical path spends on it by itself. */
export interface CriticalPathSection {
  readonly node: SpanNode;
  readonly start: number;
  readonly end: number;
}

/**
 * The spans on the critical path (see {@link criticalPathSections}), each once, in time order: by
 * when the span's part of the path starts, a parent before a child starting with it. The first is
 * the root the path starts at; each other span's parent comes before it. Empty for an empty tree.
 */
export function criticalPath(tree: SpanTree): SpanNode[] {
  return walk(tree).nodes;
}

/**
 * The critical path as time sections, in time order, each naming the span that was working alone
 * on the path then: they tile the time from the start of the root the path starts at to the end
 * of the trace, without gaps or overlaps. A span's own time on the path is the sum of its sections;
 * a span whose whole time on the path is covered by its children (a wrapper) has none, but is in
 * {@link criticalPath}. Empty for an empty tree.
 *
 * The walk, as Jaeger UI's, goes backwards from a span's end. A cursor starts at the span's end;
 * the child that ended last at or before the cursor is on the path, the time between its end and
 * the cursor is the parent's own, the walk descends into the child (its part ending at the
 * cursor), then moves the cursor to the child's start and goes on with the children that ended
 * before it; what is left down to the span's start is the parent's own again. So sequential
 * children are all on the path, and at each moment the path names the work the span was waiting
 * on.
 *
 * Where this differs from Jaeger UI:
 * - A child still running at the cursor (started before it, ended after it) is taken, cut at the
 *   cursor, before any child that ended earlier; among several, the one that started first. Jaeger
 *   only takes children that ended before the cursor, so a short child that ends last (Next.js's
 *   0.1 ms `start response`, ending just after `executing api route`) hides the long one it
 *   overlaps, and the parent gets that time as its own.
 * - Ends are the recorded ends of whole subtrees: a span's part of the path runs to the latest end
 *   among it and its descendants, not cut at its own end as Jaeger cuts children at their parent's.
 *   In a real trace a child that ends after its parent is mostly work that outlived the span that
 *   started it (Next.js ends the request span of matched middleware before the route handler's;
 *   `after()` callbacks, fire-and-forget calls and flushes run on), and it is what made the trace
 *   end when it did. Across services clock skew can also put a child's end after its parent's;
 *   the recorded times cannot tell the two apart. A child's start is cut at its parent's start, as
 *   in Jaeger, and a child wholly before its parent's start, or of no length, is left out.
 *
 * With several roots (a missing parent, or spans outside the main request), the path starts at the
 * root whose subtree ends last, as that decides the trace's end; among roots ending together the
 * trace's root (see `traceRoot`: a span without a parent id, else the top orphan) is preferred,
 * then the earlier start. Other roots are not on the path.
 *
 * Iterative, O(n log n) in the number of spans (each span's children are sorted once).
 */
export function criticalPathSections(tree: SpanTree): CriticalPathSection[] {
  return walk(tree).sections;
}

interface Candidate {
  node: SpanNode;
  /** Cut at the parent's start. */
  start: number;
  /** The subtree's end, cut at the end of the parent's part of the path. */
  end: number;
  order: number;
}

interface Frame {
  node: SpanNode;
  /** Where this span's part of the path starts. */
  start: number;
  /** Walks backwards from the end of this span's part of the path. */
  cursor: number;
  /** Children by end, latest first; then by start, then tree order. */
  children: Candidate[];
  /** Children before this one are taken or can no longer be. */
  next: number;
}

function walk(tree: SpanTree): { nodes: SpanNode[]; sections: CriticalPathSection[] } {
  const ends = subtreeEnds(tree);
  const root = lastEnding(tree.roots, ends, traceRootNode(tree));
  if (root === undefined) return { nodes: [], sections: [] };
  const entered: Array<{ node: SpanNode; start: number }> = [];
  const sections: CriticalPathSection[] = []; // latest first, reversed at the end
  const frame = (node: SpanNode, start: number, end: number): Frame => {
    entered.push({ node, start });
    const children: Candidate[] = [];
    node.children.forEach((child, order) => {
      const childStart = Math.max(child.span.startTime, start);
      const childEnd = Math.min(ends.get(child)!, end);
      if (childEnd > childStart)
        children.push({ node: child, start: childStart, end: childEnd, order });
    });
    children.sort((a, b) => b.end - a.end || a.start - b.start || a.order - b.order);
    return { node, start, cursor: end, children, next: 0 };
  };
  const stack: Frame[] = [frame(root, root.span.startTime, ends.get(root)!)];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const child = nextOnPath(top);
    if (child === undefined) {
      if (top.cursor > top.start)
        sections.push({ node: top.node, start: top.start, end: top.cursor });
      stack.pop();
      continue;
    }
    if (child.end < top.cursor)
      sections.push({ node: top.node, start: child.end, end: top.cursor });
    top.cursor = child.start;
    stack.push(frame(child.node, child.start, child.end));
  }
  sections.reverse();
  // Parts of the path nest or follow each other: by start, a parent before a child starting with it.
  entered.sort((a, b) => a.start - b.start || a.node.depth - b.node.depth);
  return { nodes: entered.map((entry) => entry.node), sections };
}

/**
 * The child on the path before `frame.cursor`, its end cut at the cursor, and the cursor's
 * candidates used up. A child running at the cursor wins (the one that started first); else the
 * child that ended last before it. A child passed over can never be taken later: the cursor only
 * moves back, to the start of the child taken, so every child passed over with an end at or after
 * the cursor started at or after the new cursor.
 */
function nextOnPath(frame: Frame): Candidate | undefined {
  const { children } = frame;
  let running: Candidate | undefined;
  while (frame.next < children.length && children[frame.next]!.end >= frame.cursor) {
    const child = children[frame.next++]!;
    if (child.start < frame.cursor && (running === undefined || child.start < running.start)) {
      running = child;
    }
  }
  if (running !== undefined) return { ...running, end: frame.cursor };
  return frame.next < children.length ? children[frame.next++] : undefined;
}

/** The latest recorded end in each span's subtree (children come after parents in `nodes`). */
function subtreeEnds(tree: SpanTree): Map<SpanNode, number> {
  const ends = new Map<SpanNode, number>();
  for (let i = tree.nodes.length - 1; i >= 0; i--) {
    const node = tree.nodes[i]!;
    let end = node.span.endTime;
    for (const child of node.children) end = Math.max(end, ends.get(child)!);
    ends.set(node, end);
  }
  return ends;
}

/**
 * The node whose subtree ends last. Ties: the trace's root wins, then the first seen (roots come
 * by start time, so the one that started first).
 */
function lastEnding(
  nodes: readonly SpanNode[],
  ends: Map<SpanNode, number>,
  traceRoot: SpanNode | undefined,
): SpanNode | undefined {
  let best: SpanNode | undefined;
  for (const node of nodes) {
    if (best === undefined || ends.get(node)! > ends.get(best)!) best = node;
    else if (ends.get(node) === ends.get(best) && node === traceRoot) best = node;
  }
  return best;
}
