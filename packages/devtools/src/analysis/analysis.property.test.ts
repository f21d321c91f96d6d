/**
 * Properties of the analysis over random traces: nested children, children that outlive their
 * parent or start before it, missing parents, parent cycles, duplicates, shuffled input,
 * fractional times. The analysis uses the recorded intervals, never clipped.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { span } from '../../test/helpers/analysis-spans';
import type { StoredSpan } from '../model';
import { analyzeTrace } from './analyze';
import { findBottlenecks } from './bottlenecks';
import { criticalPath, criticalPathSections } from './critical-path';
import { busyTime, serviceBreakdown, wallClockShares } from './service-breakdown';
import type { SpanNode, SpanTree } from './span-tree';
import { buildSpanTree } from './span-tree';
import { traceWaterfall, type WaterfallNode } from './visualize';

const spanSpec = fc.record({
  link: fc.constantFrom('root', 'missing', 'child', 'child', 'child', 'outlives', 'skewed', 'any'),
  pick: fc.nat(),
  offset: fc.integer({ min: 0, max: 2000 }),
  length: fc.integer({ min: 0, max: 2000 }),
  service: fc.constantFrom('web', 'api', 'db'),
});

type SpanSpec = typeof spanSpec extends fc.Arbitrary<infer T> ? T : never;

/** Times are multiples of 0.1 ms, so sums carry floating-point error as real traces do. */
function toSpans(specs: SpanSpec[]): StoredSpan[] {
  const spans: StoredSpan[] = [];
  specs.forEach((spec, i) => {
    const id = `s${i}`;
    let parent: StoredSpan | undefined;
    let parentId: string | undefined;
    if (spec.link === 'missing') parentId = `gone${i}`;
    else if (spec.link === 'any') parentId = `s${spec.pick % specs.length}`;
    else if (spec.link !== 'root' && i > 0) parent = spans[spec.pick % i];
    let start = spec.offset / 10;
    let end = start + spec.length / 10;
    if (parent !== undefined) {
      parentId = parent.spanId;
      if (spec.link === 'child') {
        start =
          parent.startTime + (spec.offset % 1000) * ((parent.endTime - parent.startTime) / 1000);
        end = Math.min(start + spec.length / 10, parent.endTime);
      } else if (spec.link === 'outlives') {
        // Async follow-up work: starts inside the parent, ends after it.
        start =
          parent.startTime + (spec.offset % 1000) * ((parent.endTime - parent.startTime) / 1000);
        end = parent.endTime + spec.length / 10;
      } else {
        start = parent.startTime + (spec.offset - 1000) / 10;
        end = start + spec.length / 10;
      }
    }
    spans.push(span({ id, parent: parentId, start, end, service: spec.service }));
  });
  return spans;
}

/** A shuffled trace with some spans repeated (the later copy, a changed one, must win). */
const randomTrace = fc
  .tuple(fc.array(spanSpec, { minLength: 1, maxLength: 40 }), fc.array(fc.nat(), { maxLength: 5 }))
  .chain(([specs, repeats]) => {
    const spans = toSpans(specs);
    const copies = repeats.map((r) => ({ ...spans[r % spans.length], name: 'resent' }));
    const all = [...spans, ...copies];
    return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
  });

/** The expected span per id: the last one in input order. */
const lastById = (spans: StoredSpan[]) => new Map(spans.map((s) => [s.spanId, s]));

const close = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));

/**
 * The analysis by brute force on the recorded intervals: cut the time line at every span's start
 * and end, and look at each elementary piece on its own. A piece goes to a span's own time when the
 * span runs on it and none of its children does; its length is handed out evenly to those spans
 * (the active leaves); it counts as busy when any span runs on it. Independent of the sweep and of
 * the merge passes.
 */
function bruteForce(tree: SpanTree) {
  const cuts = [...new Set(tree.nodes.flatMap((n) => [n.span.startTime, n.span.endTime]))].sort(
    (a, b) => a - b,
  );
  const running = (n: SpanNode, t: number) => n.span.startTime < t && t < n.span.endTime;
  const byNode = new Map<SpanNode, number>(tree.nodes.map((n) => [n, 0]));
  const ownTime = new Map<SpanNode, number>(tree.nodes.map((n) => [n, 0]));
  const byService = new Map<string, number>(tree.nodes.map((n) => [n.span.service, 0]));
  let covered = 0;
  for (let i = 1; i < cuts.length; i++) {
    const length = cuts[i] - cuts[i - 1];
    const mid = (cuts[i - 1] + cuts[i]) / 2;
    if (tree.nodes.some((n) => running(n, mid))) covered += length;
    const leaves = tree.nodes.filter(
      (n) => running(n, mid) && !n.children.some((c) => running(c, mid)),
    );
    for (const leaf of leaves) {
      ownTime.set(leaf, ownTime.get(leaf)! + length);
      byNode.set(leaf, byNode.get(leaf)! + length / leaves.length);
      byService.set(leaf.span.service, byService.get(leaf.span.service)! + length / leaves.length);
    }
  }
  return { ownTime, byNode, byService, covered };
}

/**
 * Small integer times, parents picked regardless of time: many ties, identical intervals,
 * zero-length spans, children outside their parents.
 */
const coarseTrace = fc
  .array(
    fc.record({
      parent: fc.nat(),
      start: fc.integer({ min: 0, max: 8 }),
      length: fc.integer({ min: 0, max: 6 }),
      service: fc.constantFrom('web', 'api', 'db'),
    }),
    { minLength: 1, maxLength: 30 },
  )
  .map((specs) =>
    specs.map((spec, i) => {
      const parent = spec.parent % (i + 1);
      return span({
        id: `s${i}`,
        parent: parent === i ? undefined : `s${parent}`,
        start: spec.start,
        end: spec.start + spec.length,
        service: spec.service,
      });
    }),
  );

/** The measure of the union of the given spans' intervals. */
function unionOf(nodes: readonly SpanNode[]): number {
  const intervals = nodes
    .map((n) => [n.span.startTime, n.span.endTime])
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let reached = Number.NEGATIVE_INFINITY;
  for (const [start, end] of intervals) {
    const from = Math.max(start, reached);
    if (end > from) total += end - from;
    reached = Math.max(reached, end);
  }
  return total;
}

describe('span tree (property)', () => {
  it('holds every span exactly once, the last copy of each, under its recorded parent', () => {
    fc.assert(
      fc.property(randomTrace, (spans) => {
        const expected = lastById(spans);
        const tree = buildSpanTree(spans);
        expect(tree.nodes.map((n) => n.span.spanId).sort()).toEqual([...expected.keys()].sort());
        const placed = [...tree.roots, ...tree.nodes.flatMap((n) => n.children)];
        expect(placed.map((n) => n.span.spanId).sort()).toEqual([...expected.keys()].sort());
        for (const node of tree.nodes) {
          expect(node.span).toBe(expected.get(node.span.spanId));
          expect(tree.byId.get(node.span.spanId)).toBe(node);
          if (node.parent !== undefined) {
            expect(node.parent.span.spanId).toBe(node.span.parentSpanId);
            expect(node.depth).toBe(node.parent.depth + 1);
          }
          for (let i = 1; i < node.children.length; i++) {
            expect(node.children[i - 1].span.startTime).toBeLessThanOrEqual(
              node.children[i].span.startTime,
            );
          }
        }
        for (const root of tree.roots) {
          const parentId = root.span.parentSpanId;
          if (parentId === undefined || parentId === root.span.spanId || !expected.has(parentId)) {
            continue;
          }
          // Otherwise the root was cut out of a cycle: its recorded parents lead back to it.
          let id: string | undefined = parentId;
          for (let steps = 0; id !== root.span.spanId; steps++) {
            expect(steps).toBeLessThan(expected.size);
            id = expected.get(id!)?.parentSpanId;
          }
        }
      }),
    );
  });

  const ownTimeAgrees = (spans: StoredSpan[]) => {
    const tree = buildSpanTree(spans);
    const expected = bruteForce(tree).ownTime;
    for (const node of tree.nodes) {
      const { startTime, endTime } = node.span;
      expect(node.ownTime).toBeGreaterThanOrEqual(0);
      expect(node.ownTime).toBeLessThanOrEqual(endTime - startTime);
      close(node.ownTime, expected.get(node)!);
    }
  };

  it('own time is the time no child covers within the span, between 0 and its duration', () => {
    fc.assert(fc.property(randomTrace, ownTimeAgrees));
  });

  it('own time is the time no child covers within the span, with many tied boundaries', () => {
    fc.assert(fc.property(coarseTrace, ownTimeAgrees));
  });
});

describe('service breakdown (property)', () => {
  const agreesWithBruteForce = (spans: StoredSpan[]) => {
    const tree = buildSpanTree(spans);
    const expected = bruteForce(tree);
    const shares = wallClockShares(tree);
    expect(shares.size).toBe(tree.nodes.length);
    for (const node of tree.nodes) {
      const share = shares.get(node)!;
      close(share, expected.byNode.get(node)!);
      expect(share).toBeGreaterThanOrEqual(0);
      expect(share).toBeLessThanOrEqual(node.ownTime + 1e-9 * Math.max(1, node.ownTime));
    }
    const breakdown = serviceBreakdown(tree);
    expect(Object.keys(breakdown).sort()).toEqual([...expected.byService.keys()].sort());
    for (const [service, time] of expected.byService) close(breakdown[service], time);
    const values = Object.values(breakdown);
    for (let i = 1; i < values.length; i++) expect(values[i - 1]).toBeGreaterThanOrEqual(values[i]);
    // The split loses no time and invents none: it sums to the union of the intervals.
    close(
      values.reduce((a, b) => a + b, 0),
      busyTime(tree),
    );
    close(busyTime(tree), expected.covered);
    close(busyTime(tree), unionOf(tree.nodes));
    expect(busyTime(tree)).toBeGreaterThanOrEqual(unionOf(tree.roots) - 1e-9 * tree.duration);
    expect(busyTime(tree)).toBeLessThanOrEqual(tree.duration + 1e-9 * Math.max(1, tree.duration));
  };

  it('splits each instant evenly among the active leaves, as brute force does', () => {
    fc.assert(fc.property(randomTrace, agreesWithBruteForce));
  });

  it('splits each instant evenly among the active leaves, with many tied boundaries', () => {
    fc.assert(fc.property(coarseTrace, agreesWithBruteForce));
  });

  it('is own time per service, summing to the busy time, when no two siblings overlap', () => {
    // Structure from the random trace; times laid out so that siblings (and roots) are disjoint.
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.double({ min: 0, max: 1, noNaN: true })), {
          minLength: 1,
          maxLength: 40,
        }),
        (shape) => {
          const parentOf = shape.map(([pick], i) => (i === 0 || pick % 3 === 0 ? -1 : pick % i));
          const childrenOf = shape.map((_, i) => parentOf.flatMap((p, c) => (p === i ? [c] : [])));
          const spans: StoredSpan[] = [];
          const layout = (ids: number[], from: number, to: number) => {
            const width = (to - from) / ids.length;
            ids.forEach((i, slot) => {
              const start = from + slot * width + (shape[i][1] * width) / 2;
              const end = start + width / 2;
              const parent = parentOf[i] < 0 ? undefined : `s${parentOf[i]}`;
              spans.push(span({ id: `s${i}`, parent, start, end, service: `svc${i % 3}` }));
              if (childrenOf[i].length > 0) layout(childrenOf[i], start, end);
            });
          };
          layout(
            parentOf.flatMap((p, i) => (p < 0 ? [i] : [])),
            0,
            1000,
          );
          const tree = buildSpanTree(spans);
          const breakdown = serviceBreakdown(tree);
          const total = Object.values(breakdown).reduce((a, b) => a + b, 0);
          close(total, unionOf(tree.nodes));
          // Nothing runs beside anything else: each service gets its spans' own time.
          const ownTime = new Map<string, number>();
          for (const node of tree.nodes) {
            ownTime.set(node.span.service, (ownTime.get(node.span.service) ?? 0) + node.ownTime);
          }
          for (const [service, time] of ownTime) close(breakdown[service], time);
        },
      ),
    );
  });
});

describe('bottlenecks (property)', () => {
  it('are exactly the spans whose own time is over 10% of the duration, largest first', () => {
    fc.assert(
      fc.property(randomTrace, (spans) => {
        const tree = buildSpanTree(spans);
        const found = findBottlenecks(tree);
        for (const b of found) {
          const node = tree.byId.get(b.spanId)!;
          expect(b.duration).toBe(node.ownTime);
          expect(b.percentage).toBe((node.ownTime / tree.duration) * 100);
          expect(b.percentage).toBeGreaterThan(10);
          expect([b.service, b.operation]).toEqual([node.span.service, node.span.name]);
        }
        for (let i = 1; i < found.length; i++) {
          expect(found[i - 1].duration).toBeGreaterThanOrEqual(found[i].duration);
        }
        const expected = tree.nodes.filter((n) => (n.ownTime / tree.duration) * 100 > 10);
        expect(found.map((b) => b.spanId).sort()).toEqual(
          expected.map((n) => n.span.spanId).sort(),
        );
      }),
    );
  });
});

describe('critical path (property)', () => {
  it('tiles the time from its root to the end of the trace with sections of spans on the path', () => {
    fc.assert(
      fc.property(randomTrace, (spans) => {
        const tree = buildSpanTree(spans);
        const path = criticalPath(tree);
        const sections = criticalPathSections(tree);
        // Independently: the latest end under a node, by walking its subtree.
        const subtreeEnd = (n: SpanNode): number =>
          Math.max(n.span.endTime, ...n.children.map(subtreeEnd));
        expect(path.length).toBeGreaterThan(0);
        const root = path[0];
        expect(tree.roots).toContain(root);
        expect(subtreeEnd(root)).toBe(tree.endTime);
        // Each span once; each after its parent, which is on the path.
        expect(new Set(path).size).toBe(path.length);
        for (let i = 1; i < path.length; i++) {
          expect(path.slice(0, i)).toContain(path[i].parent);
        }
        // Sections follow each other without gaps or overlaps, from the root's start to the end.
        if (tree.endTime > root.span.startTime) {
          expect(sections[0].start).toBe(root.span.startTime);
          expect(sections[sections.length - 1].end).toBe(tree.endTime);
        } else {
          expect(sections).toEqual([]);
        }
        const onPath = new Set(path);
        sections.forEach((section, i) => {
          expect(section.end).toBeGreaterThan(section.start);
          if (i > 0) expect(section.start).toBe(sections[i - 1].end);
          expect(onPath.has(section.node)).toBe(true);
          // Within the span's start (or its parent's, if earlier cut) and its subtree's end.
          const parentStart = section.node.parent?.span.startTime ?? -Infinity;
          expect(section.start).toBeGreaterThanOrEqual(
            Math.max(section.node.span.startTime, parentStart),
          );
          expect(section.end).toBeLessThanOrEqual(subtreeEnd(section.node));
        });
        expect(analyzeTrace({ traceId: 't', spans }).criticalPathSpanIds).toEqual(
          path.map((n) => n.span.spanId),
        );
      }),
    );
  });
});

describe('waterfall (property)', () => {
  it('nests every span once, as the tree does', () => {
    fc.assert(
      fc.property(randomTrace, (spans) => {
        const tree = buildSpanTree(spans);
        const body = traceWaterfall({ traceId: 't', spans });
        const seen: string[] = [];
        const walk = (node: WaterfallNode, parent: string | undefined) => {
          seen.push(node.spanId);
          expect(tree.byId.get(node.spanId)!.parent?.span.spanId).toBe(parent);
          expect(node.offset).toBe(node.startTime - tree.startTime);
          for (const child of node.children) walk(child, node.spanId);
        };
        for (const root of body.roots) walk(root, undefined);
        expect(seen.sort()).toEqual(tree.nodes.map((n) => n.span.spanId).sort());
      }),
    );
  });
});
