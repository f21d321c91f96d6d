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

  it('counts a span sent twice once', () => {
    const spans = [checkout[0], checkout[2], checkout[2]];
    const view = traceView({ traceId: TRACE_ID, spans, complete: false });
    expect(view.spanCount).toBe(2);
    expect(view.status).toBe('ok');
  });

  it('roots a trace whose root has not arrived at its top orphan, marked, and switches when the root arrives', () => {
    const orphans = checkout.filter((s) => s.spanId !== 'root');
    const before = traceView({ traceId: TRACE_ID, spans: orphans, complete: false });
    // api and pay both start at 1010 with parent `root`: the lower span id wins.
    expect(before.rootSpan).toMatchObject({
      spanId: 'api',
      parentSpanId: 'root',
      parentMissing: true,
    });
    expect(before.spans.filter((s) => s.parentMissing).map((s) => s.spanId)).toEqual([
      'api',
      'pay',
    ]);
    const after = traceView({
      traceId: TRACE_ID,
      spans: [...orphans, checkout[1]],
      complete: true,
    });
    expect(after.rootSpan).toMatchObject({ spanId: 'root', parentSpanId: null });
    expect(after.spans.some((s) => s.parentMissing)).toBe(false);
  });

  it('shows a span continuing a remote parent as such', () => {
    const entry = { ...checkout[2], flags: 0x301 };
    const view = traceView({ traceId: TRACE_ID, spans: [entry], complete: true });
    expect(view.rootSpan).toMatchObject({
      spanId: 'api',
      flags: 0x301,
      remoteParent: true,
      parentMissing: true,
    });
    const local = traceView({
      traceId: TRACE_ID,
      spans: [checkout[1], checkout[2]],
      complete: true,
    });
    expect(local.rootSpan).not.toHaveProperty('remoteParent');
    expect(local.spans[1]).not.toHaveProperty('remoteParent');
    expect(local.spans[1]).not.toHaveProperty('parentMissing');
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

  it('names the top orphan while the root is missing, even when a child started before it', () => {
    const skewed = { ...checkout[0], startTime: 1005 }; // `db`, a child of `api`, by a skewed clock
    const spans = [skewed, ...checkout.slice(2)];
    const summary = traceSummary({ traceId: TRACE_ID, spans, complete: false });
    expect([summary.rootService, summary.rootOperation]).toEqual(['inventory', 'GET /stock']);
    expect(summary.startTime).toBe(1005);
    const rooted = traceSummary({
      traceId: TRACE_ID,
      spans: [...spans, checkout[1]],
      complete: true,
    });
    expect([rooted.rootService, rooted.rootOperation]).toEqual(['web', 'GET /cart']);
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

  it('lists spans whose parent never arrived among the roots, the tree at the top one', () => {
    const body = traceWaterfall({
      traceId: TRACE_ID,
      spans: checkout.filter((s) => s.spanId !== 'root'),
    });
    expect(body.roots.map((r) => [r.spanId, r.parentSpanId, r.offset])).toEqual([
      ['api', 'root', 0],
      ['pay', 'root', 0],
    ]);
    expect(body.tree).toBe(body.roots[0]);
    expect(body.tree!.children.map((c) => c.spanId)).toEqual(['db']);
  });

  it('roots the tree where the view does: at a remote-parent orphan over an earlier local one', () => {
    const spans = [
      // pay, first: its parent (local) is still running, not sent yet
      { ...checkout[3], parentSpanId: 'running', startTime: 1005, flags: 0x101 },
      { ...checkout[2], flags: 0x301 }, // api, 1010: continues a remote parent
      { ...checkout[0], startTime: 1000 }, // db, under api
    ];
    const trace = { traceId: TRACE_ID, spans, complete: true };
    expect(traceWaterfall(trace).tree?.spanId).toBe('api');
    expect(traceView(trace).rootSpan?.spanId).toBe('api');
    expect(traceSummary(trace).rootOperation).toBe('GET /stock');
    expect(analyzeTrace(trace).criticalPathSpanIds).toEqual(['api', 'db']);
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
