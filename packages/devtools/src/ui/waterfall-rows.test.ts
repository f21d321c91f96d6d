import { describe, expect, it } from 'vitest';
import type { SpanView } from './api-types';
import { waterfallRows } from './waterfall-rows';

const span = (spanId: string, parentSpanId: string | null, startTime: number): SpanView => ({
  traceId: 'f'.repeat(32),
  spanId,
  parentSpanId,
  service: 'svc',
  operation: spanId,
  kind: 'internal',
  startTime,
  duration: 1,
  status: 'unset',
  tags: {},
  logs: [],
  resource: {},
  scope: { name: 'test' },
});

const order = (spans: SpanView[]) =>
  waterfallRows(spans, 100).map((row) => `${row.span.spanId}@${row.depth}${row.orphan ? '!' : ''}`);

describe('waterfallRows', () => {
  it('orders depth-first from the root, children by start time, with offsets', () => {
    const spans = [
      span('c2', 'b', 130),
      span('a', null, 100),
      span('b', 'a', 110),
      span('c1', 'b', 120),
    ];
    expect(order(spans)).toEqual(['a@0', 'b@1', 'c1@2', 'c2@2']);
    expect(waterfallRows(spans, 100).map((row) => row.offset)).toEqual([0, 10, 20, 30]);
  });

  it('puts spans whose parent is missing at the top level, marked', () => {
    expect(order([span('a', null, 100), span('x', 'gone', 105), span('y', 'x', 106)])).toEqual([
      'a@0',
      'x@0!',
      'y@1',
    ]);
  });

  it('handles a chain of spans far deeper than the call stack allows recursion', () => {
    const depth = 100_000;
    const spans = Array.from({ length: depth }, (_, i) =>
      span(`s${i}`, i === 0 ? null : `s${i - 1}`, 100 + i),
    );
    const rows = waterfallRows(spans.reverse(), 100);
    expect(rows).toHaveLength(depth);
    expect(rows.every((row, i) => row.depth === i && row.span.spanId === `s${i}`)).toBe(true);
  });

  it('draws each span once, even in a parent cycle or with a duplicate id', () => {
    const spans = [
      span('p', 'q', 100),
      span('q', 'p', 101),
      span('s', 's', 102),
      span('s', null, 103),
    ];
    const rows = order(spans);
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((row) => row.split('@')[0]))).toEqual(new Set(['p', 'q', 's']));
  });
});
