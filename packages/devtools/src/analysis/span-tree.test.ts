import { describe, expect, it } from 'vitest';
import { nestedChain, span } from '../../test/helpers/analysis-spans';
import { analyzeTrace } from './analyze';
import { buildSpanTree } from './span-tree';
import { traceWaterfall } from './visualize';

const ids = (nodes: readonly { span: { spanId: string } }[]) => nodes.map((n) => n.span.spanId);
const ownTimes = (spans: Parameters<typeof buildSpanTree>[0]) =>
  Object.fromEntries(buildSpanTree(spans).nodes.map((n) => [n.span.spanId, n.ownTime]));

describe('buildSpanTree', () => {
  it('links children to parents whatever the input order, children by start time', () => {
    const tree = buildSpanTree([
      span({ id: 'c2', parent: 'root', start: 50, end: 60 }),
      span({ id: 'gc', parent: 'c1', start: 15, end: 20 }),
      span({ id: 'root', start: 0, end: 100 }),
      span({ id: 'c1', parent: 'root', start: 10, end: 40 }),
    ]);
    expect(ids(tree.roots)).toEqual(['root']);
    expect(ids(tree.roots[0].children)).toEqual(['c1', 'c2']);
    expect(ids(tree.nodes)).toEqual(['root', 'c1', 'gc', 'c2']);
    expect(tree.byId.get('gc')!.depth).toBe(2);
    expect(tree.byId.get('gc')!.parent!.span.spanId).toBe('c1');
    expect([tree.startTime, tree.endTime, tree.duration]).toEqual([0, 100, 100]);
  });

  it('makes a span whose parent has not arrived a root, roots by start time', () => {
    const tree = buildSpanTree([
      span({ id: 'orphan', parent: 'missing', start: 5, end: 30 }),
      span({ id: 'late-root', start: 20, end: 25 }),
      span({ id: 'under-orphan', parent: 'orphan', start: 6, end: 7 }),
    ]);
    expect(ids(tree.roots)).toEqual(['orphan', 'late-root']);
    expect(ids(tree.roots[0].children)).toEqual(['under-orphan']);
  });

  it('keeps the later of two spans with the same id', () => {
    const tree = buildSpanTree([
      span({ id: 'root', start: 0, end: 10 }),
      span({ id: 'x', parent: 'root', start: 1, end: 2 }),
      span({ id: 'x', parent: 'root', start: 1, end: 9 }),
    ]);
    expect(tree.nodes).toHaveLength(2);
    expect(tree.byId.get('x')!.span.endTime).toBe(9);
  });

  it('cuts a parent cycle at its earliest span and a self-parent link, keeping every span', () => {
    const tree = buildSpanTree([
      span({ id: 'a', parent: 'c', start: 3, end: 9 }),
      span({ id: 'b', parent: 'a', start: 1, end: 9 }),
      span({ id: 'c', parent: 'b', start: 2, end: 9 }),
      span({ id: 'self', parent: 'self', start: 0, end: 1 }),
    ]);
    expect(ids(tree.roots)).toEqual(['self', 'b']);
    expect(ids(tree.nodes)).toEqual(['self', 'b', 'c', 'a']);
  });

  it('handles a chain of spans far deeper than the call stack allows recursion', () => {
    const depth = 20_000;
    const spans = nestedChain(depth);
    const analysis = analyzeTrace({ traceId: 't', spans: spans.reverse() });
    expect(analysis.criticalPathSpanIds).toHaveLength(depth);
    expect(analysis.serviceBreakdown).toEqual({ app: 2 * depth });
    let node = traceWaterfall({ traceId: 't', spans }).tree;
    let levels = 0;
    for (; node !== null && node !== undefined; node = node.children[0]) levels++;
    expect(levels).toBe(depth);
  });

  it('is empty for no spans', () => {
    const tree = buildSpanTree([]);
    expect(tree.roots).toEqual([]);
    expect([tree.startTime, tree.endTime, tree.duration]).toEqual([0, 0, 0]);
  });
});

describe('own time', () => {
  it('subtracts sequential children', () => {
    expect(
      ownTimes([
        span({ id: 'root', start: 0, end: 100 }),
        span({ id: 'a', parent: 'root', start: 10, end: 30 }),
        span({ id: 'b', parent: 'root', start: 40, end: 70 }),
      ]),
    ).toEqual({ root: 50, a: 20, b: 30 });
  });

  it('subtracts the union of concurrent children once', () => {
    expect(
      ownTimes([
        span({ id: 'root', start: 0, end: 100 }),
        span({ id: 'a', parent: 'root', start: 10, end: 60 }),
        span({ id: 'b', parent: 'root', start: 20, end: 50 }),
        span({ id: 'c', parent: 'root', start: 55, end: 80 }),
      ]),
    ).toEqual({ root: 30, a: 50, b: 30, c: 25 });
  });

  it('counts only direct children against a span, grandchildren against the child', () => {
    expect(
      ownTimes([
        span({ id: 'root', start: 0, end: 100 }),
        span({ id: 'child', parent: 'root', start: 10, end: 90 }),
        span({ id: 'grandchild', parent: 'child', start: 20, end: 80 }),
      ]),
    ).toEqual({ root: 20, child: 20, grandchild: 60 });
  });

  it('counts only the part of a child inside the span against its own time', () => {
    const tree = buildSpanTree([
      span({ id: 'root', start: 100, end: 200 }),
      span({ id: 'early', parent: 'root', start: 80, end: 130 }),
      span({ id: 'late', parent: 'root', start: 180, end: 260 }),
      span({ id: 'under-late', parent: 'late', start: 190, end: 250 }),
      span({ id: 'outside', parent: 'root', start: 300, end: 320 }),
    ]);
    // root: 100 - (100–130) - (180–200) = 50; late: 80 - 60, its child outside root counts.
    expect(Object.fromEntries(tree.nodes.map((n) => [n.span.spanId, n.ownTime]))).toEqual({
      root: 50,
      early: 50,
      late: 20,
      'under-late': 60,
      outside: 20,
    });
    expect(tree.duration).toBe(240);
  });

  it('gives a parent that ends before its child its time until the child starts', () => {
    // Next.js ends the request span of matched middleware before the route handler's span.
    expect(
      ownTimes([
        span({ id: 'root', start: 0, end: 10 }),
        span({ id: 'child', parent: 'root', start: 5, end: 300 }),
      ]),
    ).toEqual({ root: 5, child: 295 });
  });

  it('gives a child that starts before its parent its whole duration', () => {
    expect(
      ownTimes([
        span({ id: 'root', start: 10, end: 20 }),
        span({ id: 'child', parent: 'root', start: 0, end: 15 }),
        span({ id: 'around', parent: 'root', start: 0, end: 40 }),
      ]),
    ).toEqual({ root: 0, child: 15, around: 40 });
  });

  it('never gives a span more own time than its duration when the gaps round up', () => {
    // Found by the property test: (62.9032 - 62.2) + (150.1 - 62.9032) is 1e-14 past 150.1 - 62.2.
    const times = ownTimes([
      span({ id: 'root', start: 62.2, end: 150.10000000000002 }),
      span({ id: 'instant', parent: 'root', start: 62.903200000000005, end: 62.903200000000005 }),
    ]);
    expect(times.root).toBeLessThanOrEqual(150.10000000000002 - 62.2);
    expect(times.instant).toBe(0);
  });
});
