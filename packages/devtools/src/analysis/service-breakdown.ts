import type { SpanTree } from './span-tree';

/**
 * The trace's busy time in ms: the sum of every span's own time. Equivalently, the integral over
 * time of the number of innermost running spans (running, clipped into their parents, with no
 * child running at that moment): each concurrent branch of work counts in full, the way CPU time
 * counts each core.
 *
 * Without concurrent siblings (no two children of one span overlapping) it is the wall-clock
 * measure of the union of the roots' intervals; with them it is larger, and may exceed the trace's
 * duration. Gaps between roots are not busy.
 */
export function busyTime(tree: SpanTree): number {
  let total = 0;
  for (const node of tree.nodes) total += node.ownTime;
  return total;
}

/**
 * Own time per service in ms, largest first (then by name): where the trace's work was done.
 * The values sum to {@link busyTime}.
 */
export function serviceBreakdown(tree: SpanTree): Record<string, number> {
  const byService = new Map<string, number>();
  for (const node of tree.nodes) {
    const service = node.span.service;
    byService.set(service, (byService.get(service) ?? 0) + node.ownTime);
  }
  const entries = [...byService].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  // fromEntries defines own properties, so a service named "__proto__" stays a key.
  return Object.fromEntries(entries);
}
