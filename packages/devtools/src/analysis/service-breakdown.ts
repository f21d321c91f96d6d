import type { SpanNode, SpanTree } from './span-tree';

/**
 * The trace's busy time in ms: the wall-clock measure of the union of every span's recorded
 * interval (children that run outside their parent included). Never more than the trace's
 * duration; less by the gaps during which no span runs.
 */
export function busyTime(tree: SpanTree): number {
  const intervals = tree.nodes
    .map((node) => node.span)
    .filter((span) => span.startTime < span.endTime)
    .sort((a, b) => a.startTime - b.startTime);
  let total = 0;
  let reached = Number.NEGATIVE_INFINITY;
  for (const { startTime, endTime } of intervals) {
    const from = Math.max(startTime, reached);
    if (endTime > from) total += endTime - from;
    if (endTime > reached) reached = endTime;
  }
  return total;
}

/**
 * Each span's share of the trace's wall-clock time in ms, on the recorded intervals. Every instant
 * covered by some span goes to the spans whose interval covers it and none of whose children's
 * does (the active leaves), split evenly: 1/k each while k of them run. A child that outlives its
 * parent (async follow-up work, or skew) is an active leaf after the parent's end, its time counted
 * in full to its service; every covered instant has an active leaf (descend through the children
 * covering it).
 * A span is an active leaf exactly during its own time, so its share is at most its own time, and
 * equal to it when no other span is an active leaf then. The shares sum to {@link busyTime}.
 * Zero-length spans get 0.
 *
 * One sweep over the recorded start and end points, O(n log n): instead of handing out each
 * elementary segment to its k active leaves, it integrates the time per active leaf (Σ length / k)
 * once, and a span collects the increase of that integral while it is an active leaf.
 */
export function wallClockShares(tree: SpanTree): Map<SpanNode, number> {
  const nodes = tree.nodes;
  const n = nodes.length;
  const indexOf = new Map<SpanNode, number>();
  for (let i = 0; i < n; i++) indexOf.set(nodes[i], i);
  const parentOf = new Int32Array(n).fill(-1);
  // Starts as +1, ends as -1; zero-length spans never run, so they have no events.
  const events: { time: number; index: number; delta: 1 | -1 }[] = [];
  for (let i = 0; i < n; i++) {
    const node = nodes[i];
    if (node.parent !== undefined) parentOf[i] = indexOf.get(node.parent)!;
    const { startTime, endTime } = node.span;
    if (startTime < endTime) {
      events.push({ time: startTime, index: i, delta: 1 });
      events.push({ time: endTime, index: i, delta: -1 });
    }
  }
  events.sort((a, b) => a.time - b.time);

  const running = new Uint8Array(n);
  const runningChildren = new Int32Array(n);
  const isLeaf = new Uint8Array(n);
  /** The value of `perLeaf` when the span last became an active leaf. */
  const leafSince = new Float64Array(n);
  const share = new Float64Array(n);
  let activeLeaves = 0;
  /** ∫ 1/k dt so far, over the instants with k > 0 active leaves. */
  let perLeaf = 0;

  // A span is an active leaf while it runs and no child of it runs. Children are counted whether or
  // not their parent runs: a child running outside its parent's interval is an active leaf itself
  // (unless one of its own children runs) and does not affect the parent, which is not running.
  // The events of one instant may come in any order (a child's before its parent's): their
  // intermediate states last no time, as `perLeaf` does not move within an instant.
  const refresh = (i: number): void => {
    const leaf = running[i] === 1 && runningChildren[i] === 0;
    if (leaf === (isLeaf[i] === 1)) return;
    if (leaf) {
      isLeaf[i] = 1;
      leafSince[i] = perLeaf;
      activeLeaves++;
    } else {
      isLeaf[i] = 0;
      share[i] += perLeaf - leafSince[i];
      activeLeaves--;
    }
  };

  let last = events.length > 0 ? events[0].time : 0;
  for (let e = 0; e < events.length; ) {
    const time = events[e].time;
    if (activeLeaves > 0) perLeaf += (time - last) / activeLeaves;
    last = time;
    for (; e < events.length && events[e].time === time; e++) {
      const { index, delta } = events[e];
      running[index] = delta === 1 ? 1 : 0;
      const parent = parentOf[index];
      if (parent >= 0) {
        runningChildren[parent] += delta;
        refresh(parent);
      }
      refresh(index);
    }
  }
  // Every span has ended, so each has collected its share.
  const shares = new Map<SpanNode, number>();
  for (let i = 0; i < n; i++) shares.set(nodes[i], share[i]);
  return shares;
}

/**
 * Wall-clock time per service in ms, largest first (then by name): where the trace's time went,
 * with concurrent work split evenly (see {@link wallClockShares}). Every service of the trace is a
 * key, with 0 if its spans only waited on children. The values sum to {@link busyTime}.
 */
export function serviceBreakdown(tree: SpanTree): Record<string, number> {
  const byService = new Map<string, number>();
  for (const [node, share] of wallClockShares(tree)) {
    const service = node.span.service;
    byService.set(service, (byService.get(service) ?? 0) + share);
  }
  const entries = [...byService].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  // fromEntries defines own properties, so a service named "__proto__" stays a key.
  return Object.fromEntries(entries);
}
