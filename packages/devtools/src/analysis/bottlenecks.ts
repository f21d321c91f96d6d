import type { SpanTree } from './span-tree';

/** A span whose own time is a large share of its trace's duration. */
export interface Bottleneck {
  spanId: string;
  service: string;
  operation: string;
  /**
   * The span's own time in ms (the time its children's intervals leave uncovered within its own;
   * see `SpanNode.ownTime`), not its whole duration.
   */
  duration: number;
  /** Own time / trace duration × 100. */
  percentage: number;
}

/** The share of the trace's duration, in percent, a span's own time must exceed. */
export const BOTTLENECK_MIN_PERCENTAGE = 10;

/**
 * Spans whose own time is more than `minPercentage` (default 10) percent of the trace's duration,
 * largest first (equal ones in tree order, depth first). A trace of zero duration has none.
 */
export function findBottlenecks(
  tree: SpanTree,
  minPercentage: number = BOTTLENECK_MIN_PERCENTAGE,
): Bottleneck[] {
  const duration = tree.duration;
  if (!(duration > 0)) return [];
  const found: Bottleneck[] = [];
  for (const node of tree.nodes) {
    const percentage = (node.ownTime / duration) * 100;
    if (!(percentage > minPercentage)) continue;
    const span = node.span;
    found.push({
      spanId: span.spanId,
      service: span.service,
      operation: span.name,
      duration: node.ownTime,
      percentage,
    });
  }
  // nodes are depth first and sort is stable, so equal shares keep tree order.
  return found.sort((a, b) => b.duration - a.duration);
}
