import { describe, expect, it } from 'vitest';
import { span } from '../../test/helpers/analysis-spans';
import { findBottlenecks } from './bottlenecks';
import { buildSpanTree } from './span-tree';

describe('findBottlenecks', () => {
  it('lists spans whose own time exceeds 10% of the trace, largest first', () => {
    const tree = buildSpanTree([
      span({ id: 'root', service: 'web', name: 'GET /cart', start: 0, end: 200 }),
      span({ id: 'db', service: 'db', name: 'SELECT', parent: 'root', start: 10, end: 110 }),
      span({ id: 'cache', service: 'cache', name: 'GET', parent: 'root', start: 110, end: 130 }),
      span({ id: 'render', service: 'web', name: 'render', parent: 'root', start: 140, end: 190 }),
    ]);
    // root's own time: 200 - (100 + 20 + 50) = 30 (15%); cache: exactly 10%, not more.
    expect(findBottlenecks(tree)).toEqual([
      { spanId: 'db', service: 'db', operation: 'SELECT', duration: 100, percentage: 50 },
      { spanId: 'render', service: 'web', operation: 'render', duration: 50, percentage: 25 },
      { spanId: 'root', service: 'web', operation: 'GET /cart', duration: 30, percentage: 15 },
    ]);
  });

  it('judges a parent by its own time, not its duration', () => {
    const tree = buildSpanTree([
      span({ id: 'root', start: 0, end: 100 }),
      span({ id: 'wrapper', parent: 'root', start: 0, end: 100 }),
      span({ id: 'work', parent: 'wrapper', start: 0, end: 95 }),
    ]);
    expect(findBottlenecks(tree).map((b) => b.spanId)).toEqual(['work']);
  });

  it('counts the part of a child after its parent ends as own time of the child', () => {
    const tree = buildSpanTree([
      span({ id: 'root', start: 0, end: 10 }),
      span({ id: 'child', parent: 'root', start: 5, end: 300 }),
    ]);
    // root: 5 of 300 (1.7%); child: 295 of 300.
    expect(findBottlenecks(tree).map((b) => [b.spanId, b.duration])).toEqual([['child', 295]]);
  });

  it('measures against the whole trace, gaps between roots included', () => {
    const tree = buildSpanTree([
      span({ id: 'first', start: 0, end: 10 }),
      span({ id: 'second', parent: 'missing', start: 90, end: 100 }),
    ]);
    expect(findBottlenecks(tree)).toEqual([]);
    expect(findBottlenecks(tree, 5).map((b) => b.percentage)).toEqual([10, 10]);
  });

  it('finds none in a trace of zero duration', () => {
    expect(findBottlenecks(buildSpanTree([span({ id: 'instant', start: 5, end: 5 })]))).toEqual([]);
  });
});
