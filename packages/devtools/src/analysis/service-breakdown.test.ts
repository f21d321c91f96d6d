import { describe, expect, it } from 'vitest';
import { span } from '../../test/helpers/analysis-spans';
import { busyTime, serviceBreakdown, wallClockShares } from './service-breakdown';
import { buildSpanTree } from './span-tree';

const sharesById = (tree: ReturnType<typeof buildSpanTree>) =>
  Object.fromEntries([...wallClockShares(tree)].map(([node, share]) => [node.span.spanId, share]));

describe('serviceBreakdown', () => {
  it('gives sequential work its own time per service, largest first', () => {
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
    // Without concurrency each span's share is its own time.
    for (const [node, share] of wallClockShares(tree)) expect(share).toBe(node.ownTime);
  });

  it('splits the time of fully overlapping siblings evenly; the waiting parent gets none', () => {
    const tree = buildSpanTree([
      span({ id: 'parent', service: 'web', start: 0, end: 10 }),
      span({ id: 'a', service: 'A', parent: 'parent', start: 0, end: 10 }),
      span({ id: 'b', service: 'B', parent: 'parent', start: 0, end: 10 }),
    ]);
    expect(serviceBreakdown(tree)).toEqual({ A: 5, B: 5, web: 0 });
    expect(busyTime(tree)).toBe(10);
    expect(busyTime(tree)).toBe(tree.duration);
  });

  it('splits only while siblings overlap', () => {
    const tree = buildSpanTree([
      span({ id: 'web', service: 'web', start: 0, end: 100 }),
      span({ id: 'a', service: 'db', parent: 'web', start: 0, end: 100 }),
      span({ id: 'b', service: 'search', parent: 'web', start: 50, end: 100 }),
    ]);
    expect(serviceBreakdown(tree)).toEqual({ db: 75, search: 25, web: 0 });
    expect(busyTime(tree)).toBe(100);
  });

  it('gives an instant to the innermost running spans of nested, concurrent branches', () => {
    const tree = buildSpanTree([
      span({ id: 'web', service: 'web', start: 0, end: 100 }),
      span({ id: 'api', service: 'api', parent: 'web', start: 0, end: 60 }),
      span({ id: 'db', service: 'db', parent: 'api', start: 10, end: 50 }),
      span({ id: 'cache', service: 'cache', parent: 'web', start: 20, end: 80 }),
    ]);
    // 0–10 api; 10–20 db; 20–50 db and cache; 50–60 api and cache; 60–80 cache; 80–100 web.
    expect(sharesById(tree)).toEqual({ web: 20, api: 15, db: 25, cache: 40 });
    expect(serviceBreakdown(tree)).toEqual({ cache: 40, db: 25, web: 20, api: 15 });
    expect(busyTime(tree)).toBe(100);
  });

  it('adds up the shares of one service across concurrent spans', () => {
    const tree = buildSpanTree([
      span({ id: 'web', service: 'web', start: 0, end: 30 }),
      span({ id: 'db1', service: 'db', parent: 'web', start: 0, end: 30 }),
      span({ id: 'db2', service: 'db', parent: 'web', start: 0, end: 30 }),
      span({ id: 'api', service: 'api', parent: 'web', start: 0, end: 30 }),
      span({ id: 'empty', service: 'queue', parent: 'web', start: 15, end: 15 }),
    ]);
    expect(serviceBreakdown(tree)).toEqual({ db: 20, api: 10, web: 0, queue: 0 });
    expect(busyTime(tree)).toBe(30);
  });

  it('counts a child that ends after its parent fully to its service', () => {
    // Next.js ends the request span of matched middleware before the route handler's span.
    const tree = buildSpanTree([
      span({ id: 'request', service: 'web', start: 0, end: 10 }),
      span({ id: 'handler', service: 'api', parent: 'request', start: 5, end: 300 }),
    ]);
    // 0–5 request; 5–300 handler, after 10 too.
    expect(serviceBreakdown(tree)).toEqual({ api: 295, web: 5 });
    expect(busyTime(tree)).toBe(300);
    expect(busyTime(tree)).toBe(tree.duration);
  });

  it('counts follow-up work after its parent, and the gaps of no work not at all', () => {
    const tree = buildSpanTree([
      span({ id: 'web', service: 'web', start: 0, end: 10 }),
      span({ id: 'db', service: 'db', parent: 'web', start: 5, end: 20 }),
      span({ id: 'flush', service: 'export', parent: 'web', start: 30, end: 40 }),
      span({ id: 'write', service: 'disk', parent: 'flush', start: 32, end: 50 }),
    ]);
    // 0–5 web; 5–20 db; 20–30 nothing; 30–32 flush; 32–50 write.
    expect(sharesById(tree)).toEqual({ web: 5, db: 15, flush: 2, write: 18 });
    expect(busyTime(tree)).toBe(40);
    expect(tree.duration).toBe(50);
  });

  it('gives the time before its parent starts to a child that starts earlier', () => {
    const tree = buildSpanTree([
      span({ id: 'web', service: 'web', start: 10, end: 20 }),
      span({ id: 'db', service: 'db', parent: 'web', start: 0, end: 15 }),
    ]);
    // 0–15 db (before web starts, and while web waits on it); 15–20 web.
    expect(serviceBreakdown(tree)).toEqual({ db: 15, web: 5 });
    expect(busyTime(tree)).toBe(20);
  });

  it('splits an outliving child with the spans running beside it', () => {
    const tree = buildSpanTree([
      span({ id: 'request', service: 'web', start: 0, end: 10 }),
      span({ id: 'after', service: 'jobs', parent: 'request', start: 5, end: 30 }),
      span({ id: 'next', service: 'web2', parent: 'missing', start: 20, end: 40 }),
    ]);
    // 0–5 request; 5–20 after; 20–30 after and next; 30–40 next.
    expect(serviceBreakdown(tree)).toEqual({ jobs: 20, web2: 15, web: 5 });
    expect(busyTime(tree)).toBe(40);
  });

  it('splits the time of overlapping roots, so busy time stays within the duration', () => {
    const tree = buildSpanTree([
      span({ id: 'first', service: 'a', start: 0, end: 10 }),
      span({ id: 'second', service: 'b', parent: 'missing', start: 5, end: 15 }),
      span({ id: 'inner', service: 'c', parent: 'second', start: 5, end: 8 }),
    ]);
    // 0–5 first; 5–8 first and inner; 8–10 first and second; 10–15 second.
    expect(serviceBreakdown(tree)).toEqual({ a: 7.5, b: 6, c: 1.5 });
    expect(busyTime(tree)).toBe(15);
    expect(tree.duration).toBe(15);
  });

  it('does not count gaps between roots', () => {
    const tree = buildSpanTree([
      span({ id: 'first', start: 0, end: 10 }),
      span({ id: 'second', parent: 'missing', start: 90, end: 100 }),
    ]);
    expect(busyTime(tree)).toBe(20);
    expect(serviceBreakdown(tree)).toEqual({ app: 20 });
    expect(tree.duration).toBe(100);
  });

  it('is empty for an empty trace', () => {
    const tree = buildSpanTree([]);
    expect(serviceBreakdown(tree)).toEqual({});
    expect(busyTime(tree)).toBe(0);
  });

  it('handles a wide fan-out of staggered concurrent children', () => {
    const width = 20_000;
    const spans = [span({ id: 'root', service: 'web', start: 0, end: 2 * width - 1 })];
    for (let i = 0; i < width; i++) {
      spans.push(span({ id: `c${i}`, service: 'db', parent: 'root', start: i, end: i + width }));
    }
    const tree = buildSpanTree(spans);
    const breakdown = serviceBreakdown(tree);
    expect(breakdown.db).toBeCloseTo(2 * width - 1, 6);
    expect(breakdown.web).toBe(0);
    expect(busyTime(tree)).toBe(2 * width - 1);
  });

  it('keeps a service named like an Object.prototype property as a key', () => {
    const breakdown = serviceBreakdown(
      buildSpanTree([span({ id: 'x', service: '__proto__', start: 0, end: 4 })]),
    );
    expect(Object.keys(breakdown)).toEqual(['__proto__']);
    expect(JSON.parse(JSON.stringify(breakdown))).toEqual(JSON.parse('{"__proto__":4}'));
  });
});
