import { describe, expect, it } from 'vitest';
import { span } from '../../test/helpers/analysis-spans';
import { nearestRank, traceStats } from './trace-stats';

const trace = (traceId: string, complete: boolean, spans: ReturnType<typeof span>[]) => ({
  traceId,
  complete,
  spans: spans.map((s) => ({ ...s, traceId })),
});

describe('nearestRank', () => {
  it('takes the value at rank ceil(p/100 * n), never interpolating', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(nearestRank(hundred, 99)).toBe(99);
    expect(nearestRank(hundred, 100)).toBe(100);
    expect(nearestRank([...hundred, 101], 99)).toBe(100);
    expect(nearestRank([3, 7, 8, 20], 50)).toBe(7);
    expect(nearestRank([3, 7, 8, 20], 99)).toBe(20);
    expect(nearestRank([5], 99)).toBe(5);
    expect(nearestRank([1, 2], 0)).toBe(1);
    expect(nearestRank([], 99)).toBeNaN();
  });
});

describe('traceStats', () => {
  const traces = [
    trace('a'.repeat(32), true, [
      span({ id: 'r', service: 'web', start: 0, end: 100 }),
      span({ id: 'd', service: 'db', parent: 'r', start: 10, end: 30, error: true }),
    ]),
    trace('b'.repeat(32), true, [
      span({ id: 'r', service: 'web', start: 50, end: 80 }),
      span({ id: 'd', service: 'db', parent: 'r', start: 55, end: 65 }),
      span({ id: 'd', service: 'db', parent: 'r', start: 55, end: 65 }),
    ]),
    trace('c'.repeat(32), false, [span({ id: 'r', service: 'web', start: 200, end: 260 })]),
  ];

  it('counts traces, failures and the mean duration', () => {
    const stats = traceStats(traces);
    expect(stats).toMatchObject({
      totalTraces: 3,
      activeTraces: 1,
      completedTraces: 2,
      failedTraces: 1,
      avgDuration: (100 + 30 + 60) / 3,
    });
  });

  it('lists the slowest traces as summaries, longest first, as many as asked', () => {
    const stats = traceStats(traces, { slowest: 2 });
    expect(stats.slowestTraces.map((t) => [t.traceId[0], t.duration])).toEqual([
      ['a', 100],
      ['c', 60],
    ]);
    expect(stats.slowestTraces[0]).toMatchObject({
      rootService: 'web',
      status: 'error',
      errorCount: 1,
    });
  });

  it('aggregates spans per service, a duplicate span counted once', () => {
    expect(traceStats(traces).serviceStats).toEqual({
      db: { count: 2, avgDuration: 15, errorRate: 0.5, p99: 20 },
      web: { count: 3, avgDuration: (100 + 30 + 60) / 3, errorRate: 0, p99: 100 },
    });
  });

  it('is all zeros for no traces', () => {
    expect(traceStats([])).toEqual({
      totalTraces: 0,
      activeTraces: 0,
      completedTraces: 0,
      failedTraces: 0,
      avgDuration: 0,
      slowestTraces: [],
      serviceStats: {},
    });
  });
});
