import { describe, expect, it } from 'vitest';
import { span } from '../../test/helpers/analysis-spans';
import { busyTime, serviceBreakdown } from './service-breakdown';
import { buildSpanTree } from './span-tree';

describe('serviceBreakdown', () => {
  it('sums own time per service, largest first', () => {
    const tree = buildSpanTree([
      span({ id: 'web', service: 'web', start: 0, end: 100 }),
      span({ id: 'api', service: 'api', parent: 'web', start: 10, end: 90 }),
      span({ id: 'db1', service: 'db', parent: 'api', start: 20, end: 30 }),
      span({ id: 'db2', service: 'db', parent: 'api', start: 40, end: 70 }),
      span({ id: 'render', service: 'web', parent: 'web', start: 92, end: 98 }),
    ]);
    const breakdown = serviceBreakdown(tree);
    expect(breakdown).toEqual({ api: 40, db: 40, web: 20 });
    expect(Object.keys(breakdown)).toEqual(['api', 'db', 'web']);
    expect(busyTime(tree)).toBe(100);
  });

  it('counts each of concurrent branches in full, so busy time can exceed the duration', () => {
    const tree = buildSpanTree([
      span({ id: 'web', service: 'web', start: 0, end: 100 }),
      span({ id: 'a', service: 'db', parent: 'web', start: 0, end: 100 }),
      span({ id: 'b', service: 'search', parent: 'web', start: 50, end: 100 }),
    ]);
    expect(serviceBreakdown(tree)).toEqual({ db: 100, search: 50, web: 0 });
    expect(busyTime(tree)).toBe(150);
  });

  it('does not count gaps between roots', () => {
    const tree = buildSpanTree([
      span({ id: 'first', start: 0, end: 10 }),
      span({ id: 'second', parent: 'missing', start: 90, end: 100 }),
    ]);
    expect(busyTime(tree)).toBe(20);
    expect(tree.duration).toBe(100);
  });

  it('keeps a service named like an Object.prototype property as a key', () => {
    const breakdown = serviceBreakdown(
      buildSpanTree([span({ id: 'x', service: '__proto__', start: 0, end: 4 })]),
    );
    expect(Object.keys(breakdown)).toEqual(['__proto__']);
    expect(JSON.parse(JSON.stringify(breakdown))).toEqual(JSON.parse('{"__proto__":4}'));
  });
});
