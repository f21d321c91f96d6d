/**
 * `GET /traces/:id`, `/visualize` and `/analyze` of a running server, on traces sent through
 * `POST /v1/traces` (hand-built OTLP bodies, and spanlite's own exporter).
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { SimpleSpanProcessor, TracerProvider } from '@spanlite/core';
import { OtlpTraceExporter } from '@spanlite/exporters';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../../src/server';
import { getJson, sendSpans } from '../helpers/devtools-http';
import { BASE, CHECKOUT, CHECKOUT_TRACE_ID, FEED, FEED_TRACE_ID } from '../helpers/sample-traces';

let server: DevServer;
beforeAll(async () => {
  server = await startDevServer({ port: 0, idleMs: 60_000 });
  // The checkout trace split over two requests and both encodings, children first.
  await sendSpans(server.url, CHECKOUT.slice(2), 'protobuf');
  await sendSpans(server.url, CHECKOUT.slice(0, 2), 'json+gzip');
  await sendSpans(server.url, FEED, 'protobuf+gzip');
});
afterAll(() => server.close());

describe('GET /traces/:traceId', () => {
  it('shows the trace: root span, spans by start time with tags and logs, calls, duration, status', async () => {
    const { status, body } = await getJson(server.url, `/traces/${CHECKOUT_TRACE_ID}`);
    expect(status).toBe(200);
    expect(body).toEqual({
      traceId: CHECKOUT_TRACE_ID,
      rootSpan: body.spans[0],
      spans: expect.any(Array),
      serviceCalls: { cart: 1, db: 1, gateway: 1, inventory: 1 },
      duration: 100,
      status: 'error',
      startTime: BASE,
      services: ['cart', 'db', 'gateway', 'inventory'],
      spanCount: 4,
      complete: false,
    });
    expect(body.spans.map((s: { operation: string }) => s.operation)).toEqual([
      'GET /checkout',
      'load cart',
      'reserve',
      'UPDATE stock',
    ]);
    expect(body.rootSpan).toEqual({
      traceId: CHECKOUT_TRACE_ID,
      spanId: '00f067aa0ba902b7',
      parentSpanId: null,
      service: 'gateway',
      operation: 'GET /checkout',
      kind: 'server',
      startTime: BASE,
      duration: 100,
      status: 'ok',
      tags: { 'http.route': '/checkout', 'http.status_code': 200 },
      logs: [],
      resource: { 'service.name': 'gateway' },
      scope: { name: '@spanlite/devtools-test', version: '1.0.0' },
    });
    expect(body.spans[3]).toEqual({
      traceId: CHECKOUT_TRACE_ID,
      spanId: '1000000000000003',
      parentSpanId: '1000000000000002',
      service: 'db',
      operation: 'UPDATE stock',
      kind: 'client',
      startTime: BASE + 40,
      duration: 45,
      status: 'error',
      statusMessage: 'deadlock detected',
      tags: { 'db.system': 'postgresql', retried: true, ratio: 0.25 },
      logs: [
        { timestamp: BASE + 84.5, name: 'exception', fields: { 'exception.message': 'deadlock' } },
      ],
      resource: { 'service.name': 'db' },
      scope: { name: '@spanlite/devtools-test', version: '1.0.0' },
    });
    expect(body.spans[1]).toMatchObject({ kind: 'client', status: 'unset', duration: 8 });
    expect(body.spans[2]).toMatchObject({ kind: 'internal', tags: { items: 3 } });
  });

  it('accepts the id in upper case', async () => {
    const { status, body } = await getJson(
      server.url,
      `/traces/${CHECKOUT_TRACE_ID.toUpperCase()}`,
    );
    expect(status).toBe(200);
    expect(body.traceId).toBe(CHECKOUT_TRACE_ID);
  });

  it('shows a span sent twice once', async () => {
    await sendSpans(server.url, [FEED[4]!], 'json');
    const { body } = await getJson(server.url, `/traces/${FEED_TRACE_ID}`);
    expect(body.spanCount).toBe(6);
    const ids = body.spans.map((s: { spanId: string }) => s.spanId);
    expect(new Set(ids).size).toBe(6);
    expect(ids).toHaveLength(6);
  });

  it('roots a trace continuing a remote parent at its top span, in every view, until the real root arrives', async () => {
    const traceId = 'abcdef0123456789abcdef0123456789';
    // A request that came in with a traceparent: its parent (a browser's span) is not here yet.
    const entry = {
      traceId,
      spanId: 'aaaaaaaaaaaaaaaa',
      parentSpanId: 'bbbbbbbbbbbbbbbb',
      service: 'worker',
      name: 'GET /job',
      kind: 2,
      start: BASE + 10,
      end: BASE + 30,
      flags: 0x301,
    };
    const query = {
      traceId,
      spanId: 'cccccccccccccccc',
      parentSpanId: entry.spanId,
      service: 'worker',
      name: 'SELECT job',
      start: BASE + 5, // a skewed clock: before its parent
      end: BASE + 25,
      flags: 0x101,
    };
    await sendSpans(server.url, [entry, query], 'protobuf');
    const view = await getJson(server.url, `/traces/${traceId}`);
    expect(view.body).toMatchObject({ spanCount: 2, duration: 25, status: 'ok' });
    expect(view.body.rootSpan).toMatchObject({
      spanId: entry.spanId,
      parentSpanId: 'bbbbbbbbbbbbbbbb',
      flags: 0x301,
      remoteParent: true,
      parentMissing: true,
    });
    expect(view.body.spans[0]).toMatchObject({ spanId: query.spanId, remoteParent: false });
    expect(view.body.spans[0]).not.toHaveProperty('parentMissing');
    const waterfall = await getJson(server.url, `/traces/${traceId}/visualize`);
    expect(waterfall.body.tree).toMatchObject({
      spanId: entry.spanId,
      children: [{ spanId: query.spanId }],
    });
    const analysis = await getJson(server.url, `/traces/${traceId}/analyze`);
    expect(analysis.body.criticalPath).toEqual(['worker:GET /job', 'worker:SELECT job']);
    const listed = async () =>
      (await getJson(server.url, '/traces/query?serviceName=worker')).body.traces[0];
    expect(await listed()).toMatchObject({
      traceId,
      rootService: 'worker',
      rootOperation: 'GET /job',
    });

    // The browser's span arrives after all (its exporter sends here too): it is the root now.
    await sendSpans(
      server.url,
      [
        {
          traceId,
          spanId: 'bbbbbbbbbbbbbbbb',
          service: 'browser',
          name: 'click',
          start: BASE,
          end: BASE + 40,
        },
      ],
      'json',
    );
    const rooted = await getJson(server.url, `/traces/${traceId}`);
    expect(rooted.body.rootSpan).toMatchObject({ spanId: 'bbbbbbbbbbbbbbbb', parentSpanId: null });
    expect(rooted.body.rootSpan).not.toHaveProperty('parentMissing');
    expect(rooted.body.spans.some((s: { parentMissing?: true }) => s.parentMissing)).toBe(false);
    expect((await getJson(server.url, `/traces/${traceId}/visualize`)).body.tree.spanId).toBe(
      'bbbbbbbbbbbbbbbb',
    );
    expect((await getJson(server.url, `/traces/${traceId}/analyze`)).body.criticalPath[0]).toBe(
      'browser:click',
    );
    expect(await listed()).toMatchObject({ rootService: 'browser', rootOperation: 'click' });
  });

  it('shows the counts of what the sender dropped, and only where it dropped something', async () => {
    const traceId = 'abcdef0123456789abcdef012345678a';
    const limited = {
      traceId,
      spanId: 'dddddddddddddddd',
      service: 'limited',
      name: 'GET /big',
      start: BASE,
      end: BASE + 10,
      flags: 0x101,
      droppedAttributesCount: 12,
      droppedEventsCount: 3,
      droppedLinksCount: 1,
    };
    const plain = { ...limited, spanId: 'eeeeeeeeeeeeeeee', parentSpanId: limited.spanId };
    for (const key of [
      'flags',
      'droppedAttributesCount',
      'droppedEventsCount',
      'droppedLinksCount',
    ]) {
      delete (plain as Record<string, unknown>)[key];
    }
    await sendSpans(server.url, [limited], 'json');
    await sendSpans(server.url, [plain], 'protobuf+gzip');
    const { body } = await getJson(server.url, `/traces/${traceId}`);
    expect(body.spans[0]).toMatchObject({
      spanId: limited.spanId,
      flags: 0x101,
      droppedAttributesCount: 12,
      droppedEventsCount: 3,
      droppedLinksCount: 1,
    });
    for (const key of [
      'flags',
      'remoteParent',
      'parentMissing',
      'droppedAttributesCount',
      'droppedEventsCount',
      'droppedLinksCount',
    ]) {
      expect(body.spans[1]).not.toHaveProperty(key);
    }
  });

  it('shows a kind or status code OTLP does not define as unknown, in every view', async () => {
    const traceId = 'abcdef0123456789abcdef0123456780';
    const root = {
      traceId,
      spanId: 'cccccccccccccccc',
      service: 'odd',
      name: 'root',
      kind: 9,
      start: BASE,
      end: BASE + 20,
      status: { code: 7, message: 'seven' },
    };
    const child = {
      ...root,
      spanId: 'dddddddddddddddd',
      parentSpanId: root.spanId,
      name: 'child',
      kind: -1,
      start: BASE + 5,
      end: BASE + 10,
      status: { code: 2 },
    };
    await sendSpans(server.url, [root], 'protobuf');
    await sendSpans(server.url, [child], 'json');
    const view = await getJson(server.url, `/traces/${traceId}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ spanCount: 2, status: 'error' });
    expect(view.body.rootSpan).toMatchObject({
      kind: 'unknown',
      status: 'unknown',
      statusMessage: 'seven',
    });
    expect(view.body.spans[1]).toMatchObject({ kind: 'unknown', status: 'error' });
    const waterfall = await getJson(server.url, `/traces/${traceId}/visualize`);
    expect(waterfall.status).toBe(200);
    expect(waterfall.body.tree).toMatchObject({
      status: 'unknown',
      children: [{ status: 'error' }],
    });
    expect((await getJson(server.url, `/traces/${traceId}/analyze`)).status).toBe(200);
    const list = await getJson(server.url, '/traces/query?serviceName=odd');
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).toContain(traceId);
  });
});

describe('GET /traces/:traceId/visualize', () => {
  it('nests the spans under the root with offsets from the trace start', async () => {
    const { status, body } = await getJson(server.url, `/traces/${CHECKOUT_TRACE_ID}/visualize`);
    expect(status).toBe(200);
    const node = (
      spanId: string,
      parentSpanId: string | null,
      service: string,
      operation: string,
      offset: number,
      duration: number,
      nodeStatus: string,
      children: unknown[] = [],
    ) => ({
      spanId,
      parentSpanId,
      service,
      operation,
      startTime: BASE + offset,
      offset,
      duration,
      status: nodeStatus,
      children,
    });
    const tree = node('00f067aa0ba902b7', null, 'gateway', 'GET /checkout', 0, 100, 'ok', [
      node('1000000000000001', '00f067aa0ba902b7', 'cart', 'load cart', 5, 8, 'unset'),
      node('1000000000000002', '00f067aa0ba902b7', 'inventory', 'reserve', 30, 60, 'unset', [
        node('1000000000000003', '1000000000000002', 'db', 'UPDATE stock', 40, 45, 'error'),
      ]),
    ]);
    expect(body).toEqual({ traceId: CHECKOUT_TRACE_ID, duration: 100, tree, roots: [tree] });
  });
});

describe('GET /traces/:traceId/analyze', () => {
  it('finds bottlenecks, time per service and the critical path of sequential work', async () => {
    const { status, body } = await getJson(server.url, `/traces/${CHECKOUT_TRACE_ID}/analyze`);
    expect(status).toBe(200);
    expect(body).toEqual({
      traceId: CHECKOUT_TRACE_ID,
      totalDuration: 100,
      serviceCalls: { cart: 1, db: 1, gateway: 1, inventory: 1 },
      // cart's 8 ms are 8%, not over 10%.
      bottlenecks: [
        {
          spanId: '1000000000000003',
          service: 'db',
          operation: 'UPDATE stock',
          duration: 45,
          percentage: 45,
        },
        {
          spanId: '00f067aa0ba902b7',
          service: 'gateway',
          operation: 'GET /checkout',
          duration: 32,
          percentage: 32,
        },
        {
          spanId: '1000000000000002',
          service: 'inventory',
          operation: 'reserve',
          duration: 15,
          percentage: 15,
        },
      ],
      serviceBreakdown: { cart: 8, db: 45, gateway: 32, inventory: 15 },
      criticalPath: [
        'gateway:GET /checkout',
        'cart:load cart',
        'inventory:reserve',
        'db:UPDATE stock',
      ],
      criticalPathSpanIds: [
        '00f067aa0ba902b7',
        '1000000000000001',
        '1000000000000002',
        '1000000000000003',
      ],
    });
  });

  it('follows the child that ends last through concurrent work', async () => {
    const { body } = await getJson(server.url, `/traces/${FEED_TRACE_ID}/analyze`);
    expect(body.criticalPath).toEqual([
      'api:GET /feed',
      'posts:fetch posts',
      'postgres:SELECT posts',
      'redis:set',
    ]);
    expect(body.criticalPathSpanIds).toEqual([
      '2000000000000001',
      '2000000000000003',
      '2000000000000004',
      '2000000000000005',
    ]);
    expect(body.serviceCalls).toEqual({ api: 2, postgres: 1, posts: 1, redis: 1, users: 1 });
    const breakdown = body.serviceBreakdown as Record<string, number>;
    expect(Object.keys(breakdown).sort()).toEqual(['api', 'postgres', 'posts', 'redis', 'users']);
    const expected = { api: 25, users: 25, posts: 10, postgres: 15, redis: 25 };
    for (const [service, ms] of Object.entries(expected)) {
      expect(breakdown[service], service).toBeCloseTo(ms, 9);
    }
  });
});

describe("a trace sent by spanlite's OtlpTraceExporter", () => {
  it.each(['http/protobuf', 'http/json'] as const)(
    'is shown as recorded (%s)',
    async (protocol) => {
      const exporter = new OtlpTraceExporter({
        env: {},
        url: `${server.url}/v1/traces`,
        protocol,
        compression: 'gzip',
      });
      const provider = new TracerProvider({
        env: {},
        serviceName: 'storefront',
        spanProcessors: [new SimpleSpanProcessor(exporter)],
      });
      const tracer = provider.getTracer('@acme/store', '2.0.0');
      const root = tracer.startSpan('GET /product/:id', {
        kind: SpanKind.SERVER,
        attributes: { 'http.route': '/product/:id', 'http.status_code': 500 },
      });
      const child = tracer.startSpan(
        'SELECT product',
        { kind: SpanKind.CLIENT },
        trace.setSpan(ROOT_CONTEXT, root),
      );
      child.addEvent('exception', { 'exception.message': 'timeout' });
      child.setStatus({ code: SpanStatusCode.ERROR, message: 'timeout' });
      child.end();
      root.end();
      await provider.forceFlush();
      await provider.shutdown();
      expect(exporter.stats).toMatchObject({ exportedSpans: 2, droppedSpans: 0, failedExports: 0 });

      const traceId = root.spanContext().traceId;
      const { status, body } = await getJson(server.url, `/traces/${traceId}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        traceId,
        spanCount: 2,
        status: 'error',
        serviceCalls: { storefront: 2 },
        rootSpan: {
          spanId: root.spanContext().spanId,
          parentSpanId: null,
          service: 'storefront',
          operation: 'GET /product/:id',
          kind: 'server',
          tags: { 'http.route': '/product/:id', 'http.status_code': 500 },
          scope: { name: '@acme/store', version: '2.0.0' },
        },
      });
      expect(body.spans[1]).toMatchObject({
        spanId: child.spanContext().spanId,
        parentSpanId: root.spanContext().spanId,
        kind: 'client',
        status: 'error',
        statusMessage: 'timeout',
        logs: [{ name: 'exception', fields: { 'exception.message': 'timeout' } }],
      });
      const analysis = await getJson(server.url, `/traces/${traceId}/analyze`);
      expect(analysis.body.criticalPath).toEqual([
        'storefront:GET /product/:id',
        'storefront:SELECT product',
      ]);
    },
  );
});
