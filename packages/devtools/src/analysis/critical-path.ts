import type { SpanNode, SpanTree } from './span-tree';

/**
 * The chain of spans that determines when the trace ends, from a root to a leaf. Each span's
 * subtree ends at the latest recorded end among the span and its descendants; the chain starts at
 * the root whose subtree ends last and, at each span, follows the child whose subtree ends last
 * (ties: the one that started first, being the longer wait, then tree order). Each span of the
 * result is a child of the one before; the last has no children; the last-ending span of the
 * whole trace is on the chain or is the chain's end. Empty for an empty tree.
 *
 * Why a chain: a span's end waits on its last-ending child, that child's on its own last-ending
 * child, and so on; the chain names the spans to shorten for the request to finish sooner. It is
 * the tail of what Jaeger UI calls the critical path: Jaeger also walks back from the last-ending
 * child to the sibling that ended before it started (sequential work) and marks the parent's own
 * gaps, giving time sections rather than a list of spans. The API shows a list, so this is the
 * chain.
 *
 * Ends are recorded ends, not trimmed to the parent as Jaeger does, and compared by subtree: a
 * child that ends after its parent, or a grandchild after both, is followed. In a real trace that
 * is mostly work that outlived the span that started it (Next.js ends the request span of matched
 * middleware before the route handler's span; `after()` callbacks, fire-and-forget calls and
 * flushes run on), and it is what made the trace end when it did. Across services, clock skew can
 * also put a child's end after its parent's; the recorded times cannot tell the two apart.
 *
 * With several roots (a missing parent, or spans outside the main request), the root whose subtree
 * ends last decides the trace's end, so the chain starts there; among roots ending together a span
 * without a parent id (the real root) is preferred, then the earlier start.
 */
export function criticalPath(tree: SpanTree): SpanNode[] {
  const ends = subtreeEnds(tree);
  let node = lastEnding(tree.roots, ends);
  const path: SpanNode[] = [];
  while (node !== undefined) {
    path.push(node);
    node = lastEnding(node.children, ends);
  }
  return path;
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
 * The node whose subtree ends last. Ties: a span without a parent id (the real root, among roots)
 * wins, then the first seen (nodes come by start time, so the one that started first).
 */
function lastEnding(nodes: readonly SpanNode[], ends: Map<SpanNode, number>): SpanNode | undefined {
  let best: SpanNode | undefined;
  for (const node of nodes) {
    if (best === undefined || ends.get(node)! > ends.get(best)!) best = node;
    else if (
      ends.get(node) === ends.get(best) &&
      node.span.parentSpanId === undefined &&
      best.span.parentSpanId !== undefined
    ) {
      best = node;
    }
  }
  return best;
}
