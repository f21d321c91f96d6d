import type { SpanNode, SpanTree } from './span-tree';

/**
 * The chain of spans that determines when the trace ends, from a root to a leaf: it starts at the
 * root that ends last and, at each span, follows the child whose recorded interval ends last (ties:
 * the one that started first, being the longer wait, then tree order). Each span of the result is
 * a child of the one before; the last has no children. Empty for an empty tree.
 *
 * Why a chain: a span's end waits on its last-ending child, that child's on its own last-ending
 * child, and so on; the chain names the spans to shorten for the request to finish sooner. It is
 * the tail of what Jaeger UI calls the critical path: Jaeger also walks back from the last-ending
 * child to the sibling that ended before it started (sequential work) and marks the parent's own
 * gaps, giving time sections rather than a list of spans. The API shows a list, so this is the
 * chain.
 *
 * Children are compared on their recorded ends, not trimmed to the parent as Jaeger does: a child
 * that ends after its parent is followed too. In a real trace that is mostly work that outlived the
 * span that started it (Next.js ends the request span of matched middleware before the route
 * handler's span; `after()` callbacks, fire-and-forget calls and flushes run on), and it is what
 * made the trace end when it did. Across services, clock skew can also put a child's end after its
 * parent's; the recorded times cannot tell the two apart.
 *
 * With several roots (a missing parent, or spans outside the main request), the root that ends
 * last decides the trace's end, so the chain starts there; among roots ending together a span
 * without a parent id (the real root) is preferred, then the earlier start.
 */
export function criticalPath(tree: SpanTree): SpanNode[] {
  let node = lastEndingRoot(tree.roots);
  const path: SpanNode[] = [];
  while (node !== undefined) {
    path.push(node);
    node = lastEndingChild(node.children);
  }
  return path;
}

function lastEndingRoot(roots: readonly SpanNode[]): SpanNode | undefined {
  let best: SpanNode | undefined;
  for (const root of roots) {
    if (best === undefined || root.span.endTime > best.span.endTime) best = root;
    else if (
      root.span.endTime === best.span.endTime &&
      root.span.parentSpanId === undefined &&
      best.span.parentSpanId !== undefined
    ) {
      best = root;
    }
  }
  return best;
}

/** Children come by start time, so on equal ends the first seen started first. */
function lastEndingChild(children: readonly SpanNode[]): SpanNode | undefined {
  let best: SpanNode | undefined;
  for (const child of children) {
    if (best === undefined || child.span.endTime > best.span.endTime) best = child;
  }
  return best;
}
