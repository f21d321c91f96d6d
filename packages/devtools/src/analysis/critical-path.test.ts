import { describe, expect, it } from 'vitest';
import { LOCAL_PARENT, nestedChain, REMOTE_PARENT, span } from '../../test/helpers/analysis-spans';
import { criticalPath, criticalPathSections } from './critical-path';
import { buildSpanTree } from './span-tree';

type Spans = Parameters<typeof buildSpanTree>[0];

const pathOf = (spans: Spans) => criticalPath(buildSpanTree(spans)).map((node) => node.span.spanId);

const sectionsOf = (spans: Spans) =>
  criticalPathSections(buildSpanTree(spans)).map((s) => [s.node.span.spanId, s.start, s.end]);

describe('criticalPath', () => {
  it('takes every one of sequential children, the parent owning the gaps', () => {
    const spans = [
      span({ id: 'root', start: 0, end: 100 }),
      span({ id: 'auth', parent: 'root', start: 5, end: 40 }),
      span({ id: 'query', parent: 'root', start: 45, end: 90 }),
    ];
    expect(pathOf(spans)).toEqual(['root', 'auth', 'query']);
    expect(sectionsOf(spans)).toEqual([
      ['root', 0, 5],
      ['auth', 5, 40],
      ['root', 40, 45],
      ['query', 45, 90],
      ['root', 90, 100],
    ]);
  });

  it('goes through the slow route of a Next.js trace, not the start response span that ends last', () => {
    const spans = [
      span({ id: 'request', name: 'GET /api/report', start: 0, end: 212.5 }),
      span({ id: 'route', name: 'executing api route', parent: 'request', start: 0, end: 212 }),
      span({ id: 'service', parent: 'route', start: 10, end: 210 }),
      span({ id: 'repository', parent: 'service', start: 20, end: 200 }),
      span({ id: 'start-response', parent: 'request', start: 211.9, end: 212.1 }),
    ];
    expect(pathOf(spans)).toEqual(['request', 'route', 'service', 'repository', 'start-response']);
    expect(sectionsOf(spans)).toEqual([
      ['route', 0, 10],
      ['service', 10, 20],
      ['repository', 20, 200],
      ['service', 200, 210],
      ['route', 210, 211.9],
      ['start-response', 211.9, 212.1],
      ['request', 212.1, 212.5],
    ]);
  });

  it('takes a concurrent child still running when a later one started, cut at that start', () => {
    const spans = [
      span({ id: 'root', start: 0, end: 100 }),
      span({ id: 'long', parent: 'root', start: 5, end: 80 }),
      span({ id: 'short-late', parent: 'root', start: 60, end: 95 }),
      span({ id: 'first', parent: 'root', start: 1, end: 10 }),
    ];
    expect(pathOf(spans)).toEqual(['root', 'first', 'long', 'short-late']);
    expect(sectionsOf(spans)).toEqual([
      ['root', 0, 1],
      ['first', 1, 5],
      ['long', 5, 60],
      ['short-late', 60, 95],
      ['root', 95, 100],
    ]);
  });

  it('leaves out a concurrent child that ran within the one on the path', () => {
    // Two queries side by side, then a render: the slower query decides when they are done.
    const spans = [
      span({ id: 'build', start: 0, end: 220 }),
      span({ id: 'orders', parent: 'build', start: 1, end: 181 }),
      span({ id: 'customers', parent: 'build', start: 1.5, end: 41 }),
      span({ id: 'render', parent: 'build', start: 182, end: 212 }),
    ];
    expect(pathOf(spans)).toEqual(['build', 'orders', 'render']);
  });

  it('follows a grandchild that outlives its parent and grandparent to the end of the trace', () => {
    // A request span ended early; work started under its first step ran on until 300.
    const spans = [
      span({ id: 'root', start: 0, end: 10 }),
      span({ id: 'step-a', parent: 'root', start: 1, end: 5 }),
      span({ id: 'after-work', parent: 'step-a', start: 2, end: 300 }),
      span({ id: 'step-b', parent: 'root', start: 6, end: 100 }),
    ];
    expect(pathOf(spans)).toEqual(['root', 'step-a', 'after-work']);
    expect(sectionsOf(spans)).toEqual([
      ['root', 0, 1],
      ['step-a', 1, 2],
      ['after-work', 2, 300],
    ]);
  });

  it('starts at the root whose subtree ends last, not the root that ends last', () => {
    expect(
      pathOf([
        span({ id: 'request', start: 0, end: 10 }),
        span({ id: 'handler', parent: 'request', start: 5, end: 300 }),
        span({ id: 'orphan', parent: 'missing', start: 20, end: 100 }),
      ]),
    ).toEqual(['request', 'handler']);
  });

  it('descends through nested spans across services, in time order', () => {
    expect(
      pathOf([
        span({ id: 'web', service: 'web', start: 0, end: 100 }),
        span({ id: 'api', service: 'api', parent: 'web', start: 10, end: 95 }),
        span({ id: 'cache', service: 'cache', parent: 'api', start: 12, end: 15 }),
        span({ id: 'db', service: 'db', parent: 'api', start: 20, end: 90 }),
        span({ id: 'db-conn', service: 'db', parent: 'db', start: 20, end: 30 }),
        span({ id: 'db-exec', service: 'db', parent: 'db', start: 30, end: 88 }),
      ]),
    ).toEqual(['web', 'api', 'cache', 'db', 'db-conn', 'db-exec']);
  });

  it('on equal ends takes the child that started first', () => {
    expect(
      pathOf([
        span({ id: 'root', start: 0, end: 100 }),
        span({ id: 'later', parent: 'root', start: 50, end: 90 }),
        span({ id: 'earlier', parent: 'root', start: 20, end: 90 }),
      ]),
    ).toEqual(['root', 'earlier']);
  });

  it('follows a child that ends after its parent', () => {
    // Next.js ends the request span of matched middleware before the route handler's span.
    expect(
      sectionsOf([
        span({ id: 'root', start: 0, end: 10 }),
        span({ id: 'child', parent: 'root', start: 5, end: 300 }),
      ]),
    ).toEqual([
      ['root', 0, 5],
      ['child', 5, 300],
    ]);
  });

  it('compares children on their recorded ends, not cut at the parent end', () => {
    // A cold start inside the request does not win over the handler that outlives it; it is on
    // the path until the handler starts.
    expect(
      pathOf([
        span({ id: 'request', start: 0, end: 31 }),
        span({ id: 'cold-start', parent: 'request', start: 1, end: 30 }),
        span({ id: 'handler', parent: 'request', start: 20, end: 300 }),
        span({ id: 'query', parent: 'handler', start: 40, end: 280 }),
        span({ id: 'after', parent: 'handler', start: 290, end: 310 }),
      ]),
    ).toEqual(['request', 'cold-start', 'handler', 'query', 'after']);
  });

  it('cuts a child that starts before its parent at the parent start, and leaves out one wholly before', () => {
    const spans = [
      span({ id: 'root', start: 10, end: 100 }),
      span({ id: 'early', parent: 'root', start: 0, end: 95 }),
      span({ id: 'inside', parent: 'root', start: 20, end: 90 }),
      span({ id: 'before', parent: 'root', start: 0, end: 5 }),
    ];
    expect(pathOf(spans)).toEqual(['root', 'early']);
    expect(sectionsOf(spans)).toEqual([
      ['early', 10, 95],
      ['root', 95, 100],
    ]);
  });

  it('names a wrapper covered by its child on the path, without a section of its own', () => {
    const spans = [
      span({ id: 'root', start: 0, end: 10 }),
      span({ id: 'wrapper', parent: 'root', start: 2, end: 8 }),
      span({ id: 'work', parent: 'wrapper', start: 2, end: 8 }),
      span({ id: 'empty', parent: 'root', start: 9, end: 9 }),
    ];
    expect(pathOf(spans)).toEqual(['root', 'wrapper', 'work']);
    expect(sectionsOf(spans)).toEqual([
      ['root', 0, 2],
      ['work', 2, 8],
      ['root', 8, 10],
    ]);
  });

  it('starts from the root that ends last when a parent is missing', () => {
    expect(
      pathOf([
        span({ id: 'root', start: 0, end: 50 }),
        span({ id: 'orphan', parent: 'missing', start: 30, end: 80 }),
        span({ id: 'orphan-child', parent: 'orphan', start: 40, end: 70 }),
      ]),
    ).toEqual(['orphan', 'orphan-child']);
  });

  it('prefers the real root among roots that end together', () => {
    expect(
      pathOf([
        span({ id: 'orphan', parent: 'missing', start: 0, end: 50 }),
        span({ id: 'root', start: 10, end: 50 }),
      ]),
    ).toEqual(['root']);
  });

  it("prefers the trace's root among orphans that end together: the one continuing a remote parent", () => {
    expect(
      pathOf([
        span({ id: 'waiting', parent: 'running', start: 0, end: 50, flags: LOCAL_PARENT }),
        span({ id: 'entry', parent: 'browser', start: 10, end: 50, flags: REMOTE_PARENT }),
      ]),
    ).toEqual(['entry']);
  });

  it('handles a trace far deeper than the call stack allows recursion', () => {
    const depth = 100_000;
    const spans = nestedChain(depth);
    const tree = buildSpanTree(spans);
    expect(criticalPath(tree)).toHaveLength(depth);
    expect(criticalPathSections(tree)).toHaveLength(2 * depth - 1);
  });

  it('is empty for no spans', () => {
    expect(pathOf([])).toEqual([]);
    expect(sectionsOf([])).toEqual([]);
  });
});
