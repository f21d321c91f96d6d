import { describe, expect, it } from 'vitest';
import { span, TRACE_ID } from '../../test/helpers/analysis-spans';
import type { StoredSpan } from '../model';
import { analyzeTrace } from './analyze';
import { traceSummary } from './trace-summary';
import { traceView } from './trace-view';
import { traceWaterfall } from './visualize';

const checkout = [
  span({ id: 'db', service: 'inventory', name: 'SELECT', parent: 'api', start: 1020, end: 1070 }),
  span({ id: 'root', service: 'web', name: 'GET /cart', start: 1000, end: 1100 }),
  span({
    id: 'api',
    service: 'inventory',
    name: 'GET /stock',
    parent: 'root',
    start: 1010,
    end: 1080,
  }),
  span({
    id: 'pay',
    service: 'payments',
    name: 'charge',
    parent: 'root',
    start: 1010,
    end: 1030,
    error: true,
  }),
];

describe('traceView', () => {
  it('answers GET /traces/:id with the spans by start time and the trace totals', () => {
    const view = traceView({ traceId: TRACE_ID, spans: checkout, complete: true });
    expect(view.spans.map((s) => s.spanId)).toEqual(['root', 'api', 'pay', 'db']);
    expect(view.rootSpan?.spanId).toBe('root');
    expect(view).toMatchObject({
      traceId: TRACE_ID,
      serviceCalls: { inventory: 2, payments: 1, web: 1 },
      duration: 100,
      status: 'error',
      startTime: 1000,
      services: ['inventory', 'payments', 'web'],
      spanCount: 4,
      complete: true,
    });
  });

  it('has a null rootSpan while the root has not arrived, and counts duplicates once', () => {
    const spans = [checkout[0], checkout[2], checkout[2]];
    const view = traceView({ traceId: TRACE_ID, spans, complete: false });
    expect(view.rootSpan).toBeNull();
    expect(view.spanCount).toBe(2);
    expect(view.status).toBe('ok');
  });
});

describe('traceSummary', () => {
  it('names the root span, counts errors', () => {
    expect(traceSummary({ traceId: TRACE_ID, spans: checkout, complete: false })).toEqual({
      traceId: TRACE_ID,
      rootService: 'web',
      rootOperation: 'GET /cart',
      operation: 'GET /cart',
      startTime: 1000,
      duration: 100,
      spanCount: 4,
      services: ['inventory', 'payments', 'web'],
      status: 'error',
      errorCount: 1,
      complete: false,
    });
  });

  it("lists a Next.js request that ran a proxy by its route's span, not the proxy pass's `GET`", () => {
    const server = (spec: Parameters<typeof span>[0], route?: string): StoredSpan => ({
      ...span(spec),
      kind: 2,
      attributes: route === undefined ? {} : { 'http.route': route },
    });
    const spans = [
      // Next.js's first pass (the proxy), ended before the route's pass began
      server({ id: 'outer', service: 'shop', name: 'GET', start: 1000, end: 1002 }),
      span({
        id: 'mw',
        service: 'shop',
        name: 'middleware GET',
        parent: 'outer',
        start: 1000,
        end: 1001,
      }),
      server(
        {
          id: 'route',
          service: 'shop',
          name: 'GET /api/items/[id]',
          parent: 'outer',
          start: 1003,
          end: 1020,
        },
        '/api/items/[id]',
      ),
      // a downstream service's routed span does not name this trace
      server(
        {
          id: 'down',
          service: 'stock',
          name: 'GET /stock',
          parent: 'route',
          start: 1005,
          end: 1010,
        },
        '/stock',
      ),
    ];
    const summary = traceSummary({ traceId: TRACE_ID, spans, complete: true });
    expect([summary.rootOperation, summary.operation]).toEqual(['GET', 'GET /api/items/[id]']);
    // a root that has its route, or is no server span, names the trace itself
    const routedRoot = traceSummary({
      traceId: TRACE_ID,
      spans: spans.slice(2, 4).map((s, i) => (i === 0 ? { ...s, parentSpanId: undefined } : s)),
      complete: true,
    });
    expect(routedRoot.operation).toBe('GET /api/items/[id]');
    expect(traceSummary({ traceId: TRACE_ID, spans: checkout, complete: true }).operation).toBe(
      'GET /cart',
    );
  });

  it('names the earliest span while the root is missing', () => {
    const summary = traceSummary({ traceId: TRACE_ID, spans: checkout.slice(2), complete: false });
    expect([summary.rootService, summary.rootOperation]).toEqual(['inventory', 'GET /stock']);
  });

  it('reads spans from a one-shot iterable', () => {
    const byId = new Map(checkout.map((s) => [s.spanId, s]));
    expect(
      traceSummary({ traceId: TRACE_ID, spans: byId.values(), complete: true }).spanCount,
    ).toBe(4);
  });
});

describe('traceWaterfall', () => {
  it('nests children under their parents with offsets from the trace start', () => {
    const body = traceWaterfall({ traceId: TRACE_ID, spans: checkout });
    expect(body.duration).toBe(100);
    expect(body.roots).toHaveLength(1);
    expect(body.tree).toBe(body.roots[0]);
    const tree = body.tree!;
    expect(tree).toMatchObject({ spanId: 'root', parentSpanId: null, offset: 0, duration: 100 });
    expect(tree.children.map((c) => [c.spanId, c.offset, c.status])).toEqual([
      ['api', 10, 'unset'],
      ['pay', 10, 'error'],
    ]);
    expect(tree.children[0].children).toEqual([
      {
        spanId: 'db',
        parentSpanId: 'api',
        service: 'inventory',
        operation: 'SELECT',
        startTime: 1020,
        offset: 20,
        duration: 50,
        status: 'unset',
        children: [],
      },
    ]);
  });

  it('lists spans whose parent never arrived among the roots, with a null tree without a root', () => {
    const body = traceWaterfall({
      traceId: TRACE_ID,
      spans: checkout.filter((s) => s.spanId !== 'root'),
    });
    expect(body.tree).toBeNull();
    expect(body.roots.map((r) => [r.spanId, r.parentSpanId, r.offset])).toEqual([
      ['api', 'root', 0],
      ['pay', 'root', 0],
    ]);
  });
});

describe('analyzeTrace', () => {
  it('answers GET /traces/:id/analyze', () => {
    expect(analyzeTrace({ traceId: TRACE_ID, spans: checkout })).toEqual({
      traceId: TRACE_ID,
      totalDuration: 100,
      serviceCalls: { inventory: 2, payments: 1, web: 1 },
      // root: 100 - 70 (api and pay overlap) = 30; api: 70 - 50 = 20; equal ones in tree order.
      bottlenecks: [
        { spanId: 'db', service: 'inventory', operation: 'SELECT', duration: 50, percentage: 50 },
        { spanId: 'root', service: 'web', operation: 'GET /cart', duration: 30, percentage: 30 },
        {
          spanId: 'api',
          service: 'inventory',
          operation: 'GET /stock',
          duration: 20,
          percentage: 20,
        },
        { spanId: 'pay', service: 'payments', operation: 'charge', duration: 20, percentage: 20 },
      ],
      // Wall clock: api and pay split 1010–1020, db and pay 1020–1030.
      serviceBreakdown: { inventory: 60, web: 30, payments: 10 },
      criticalPath: ['web:GET /cart', 'inventory:GET /stock', 'inventory:SELECT'],
      criticalPathSpanIds: ['root', 'api', 'db'],
    });
  });
});
