import { describe, expect, it } from 'vitest';
import { span } from '../../test/helpers/analysis-spans';
import { criticalPath } from './critical-path';
import { buildSpanTree } from './span-tree';

const pathOf = (spans: Parameters<typeof buildSpanTree>[0]) =>
  criticalPath(buildSpanTree(spans)).map((node) => node.span.spanId);

describe('criticalPath', () => {
  it('follows the later of sequential children', () => {
    expect(
      pathOf([
        span({ id: 'root', start: 0, end: 100 }),
        span({ id: 'auth', parent: 'root', start: 5, end: 40 }),
        span({ id: 'query', parent: 'root', start: 45, end: 90 }),
      ]),
    ).toEqual(['root', 'query']);
  });

  it('follows the concurrent child that ends last, not the longest or the first', () => {
    expect(
      pathOf([
        span({ id: 'root', start: 0, end: 100 }),
        span({ id: 'long', parent: 'root', start: 5, end: 80 }),
        span({ id: 'short-late', parent: 'root', start: 60, end: 95 }),
        span({ id: 'first', parent: 'root', start: 1, end: 10 }),
      ]),
    ).toEqual(['root', 'short-late']);
  });

  it('follows the child whose subtree ends last: a grandchild that outlives both counts', () => {
    // A request span ended early; work started under its first step ran on until 300.
    expect(
      pathOf([
        span({ id: 'root', start: 0, end: 10 }),
        span({ id: 'step-a', parent: 'root', start: 1, end: 5 }),
        span({ id: 'after-work', parent: 'step-a', start: 2, end: 300 }),
        span({ id: 'step-b', parent: 'root', start: 6, end: 100 }),
      ]),
    ).toEqual(['root', 'step-a', 'after-work']);
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

  it('descends to a leaf through nested spans across services', () => {
    expect(
      pathOf([
        span({ id: 'web', service: 'web', start: 0, end: 100 }),
        span({ id: 'api', service: 'api', parent: 'web', start: 10, end: 95 }),
        span({ id: 'cache', service: 'cache', parent: 'api', start: 12, end: 15 }),
        span({ id: 'db', service: 'db', parent: 'api', start: 20, end: 90 }),
        span({ id: 'db-conn', service: 'db', parent: 'db', start: 20, end: 30 }),
        span({ id: 'db-exec', service: 'db', parent: 'db', start: 30, end: 88 }),
      ]),
    ).toEqual(['web', 'api', 'db', 'db-exec']);
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
      pathOf([
        span({ id: 'root', start: 0, end: 10 }),
        span({ id: 'child', parent: 'root', start: 5, end: 300 }),
      ]),
    ).toEqual(['root', 'child']);
  });

  it('compares children on their recorded ends, not cut at the parent end', () => {
    // A short cold start inside the request does not win over the handler that outlives it.
    expect(
      pathOf([
        span({ id: 'request', start: 0, end: 31 }),
        span({ id: 'cold-start', parent: 'request', start: 1, end: 30 }),
        span({ id: 'handler', parent: 'request', start: 20, end: 300 }),
        span({ id: 'query', parent: 'handler', start: 40, end: 280 }),
        span({ id: 'after', parent: 'handler', start: 290, end: 310 }),
      ]),
    ).toEqual(['request', 'handler', 'after']);
  });

  it('follows a child that starts before its parent when it ends last', () => {
    expect(
      pathOf([
        span({ id: 'root', start: 10, end: 100 }),
        span({ id: 'early', parent: 'root', start: 0, end: 95 }),
        span({ id: 'inside', parent: 'root', start: 20, end: 90 }),
      ]),
    ).toEqual(['root', 'early']);
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

  it('is empty for no spans', () => {
    expect(pathOf([])).toEqual([]);
  });
});
