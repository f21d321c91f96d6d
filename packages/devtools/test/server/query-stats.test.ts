/** `GET /traces/query` with each filter, and `GET /stats`, on a running server. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../../src/server';
import { getJson, sendSpans } from '../helpers/devtools-http';
import { hexId, type SimpleSpan } from '../helpers/otlp-bodies';
import {
  BASE,
  CART,
  CART_TRACE_ID,
  CHARGE,
  CHARGE_TRACE_ID,
  CHECKOUT,
  CHECKOUT_TRACE_ID,
  FEED,
  FEED_TRACE_ID,
} from '../helpers/sample-traces';

/** Polls until `check` passes; the condition is an event (idle completion), not a time. */
async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe('GET /traces/query', () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startDevServer({ port: 0, idleMs: 60_000 });
    // Sent oldest last: the order of the answer is by start time, not by arrival.
    for (const spans of [CHARGE, CART, FEED, CHECKOUT]) await sendSpans(server.url, spans);
  });
  afterAll(() => server.close());

  const ids = async (query: string): Promise<string[]> => {
    const { status, body } = await getJson(server.url, `/traces/query${query}`);
    expect(status).toBe(200);
    return body.traces.map((summary: { traceId: string }) => summary.traceId);
  };

  it('lists every trace, newest first, as TraceSummary', async () => {
    const { body } = await getJson(server.url, '/traces/query');
    expect(body.traces.map((t: { traceId: string }) => t.traceId)).toEqual([
      CHARGE_TRACE_ID,
      CART_TRACE_ID,
      FEED_TRACE_ID,
      CHECKOUT_TRACE_ID,
    ]);
    expect(body.traces[3]).toEqual({
      traceId: CHECKOUT_TRACE_ID,
      rootService: 'gateway',
      rootOperation: 'GET /checkout',
      operation: 'GET /checkout',
      startTime: BASE,
      duration: 100,
      spanCount: 4,
      services: ['cart', 'db', 'gateway', 'inventory'],
      status: 'error',
      errorCount: 1,
      complete: false,
    });
    expect(body.traces[0]).toMatchObject({
      rootService: 'payments',
      rootOperation: 'charge',
      duration: 500,
      status: 'error',
      errorCount: 1,
    });
  });

  it('filters by serviceName and operationName, on any span', async () => {
    expect(await ids('?serviceName=cart')).toEqual([CART_TRACE_ID, CHECKOUT_TRACE_ID]);
    expect(await ids('?serviceName=postgres')).toEqual([FEED_TRACE_ID]);
    expect(await ids('?operationName=load%20cart')).toEqual([CART_TRACE_ID, CHECKOUT_TRACE_ID]);
    expect(await ids('?operationName=render')).toEqual([FEED_TRACE_ID]);
    expect(await ids('?serviceName=nobody')).toEqual([]);
  });

  it('with both, wants them on the same span', async () => {
    // CART has a cart span and a `load cart` span, but not one span with both.
    expect(await ids('?serviceName=cart&operationName=load+cart')).toEqual([CHECKOUT_TRACE_ID]);
    expect(await ids('?serviceName=inventory&operationName=load+cart')).toEqual([CART_TRACE_ID]);
    expect(await ids('?serviceName=cart&operationName=charge')).toEqual([]);
  });

  it('filters by minDuration and maxDuration (inclusive)', async () => {
    expect(await ids('?minDuration=100')).toEqual([
      CHARGE_TRACE_ID,
      FEED_TRACE_ID,
      CHECKOUT_TRACE_ID,
    ]);
    expect(await ids('?minDuration=100.5')).toEqual([CHARGE_TRACE_ID]);
    expect(await ids('?maxDuration=100')).toEqual([
      CART_TRACE_ID,
      FEED_TRACE_ID,
      CHECKOUT_TRACE_ID,
    ]);
    expect(await ids('?maxDuration=4.5')).toEqual([]);
    expect(await ids('?minDuration=5&maxDuration=5')).toEqual([CART_TRACE_ID]);
  });

  it('filters by status', async () => {
    expect(await ids('?status=error')).toEqual([CHARGE_TRACE_ID, CHECKOUT_TRACE_ID]);
    expect(await ids('?status=ok')).toEqual([CART_TRACE_ID, FEED_TRACE_ID]);
  });

  it('filters by start and end, bounding the trace start (epoch ms or ISO dates)', async () => {
    expect(await ids(`?start=${BASE + 1000}`)).toEqual([
      CHARGE_TRACE_ID,
      CART_TRACE_ID,
      FEED_TRACE_ID,
    ]);
    expect(await ids(`?end=${BASE + 1000}`)).toEqual([FEED_TRACE_ID, CHECKOUT_TRACE_ID]);
    expect(await ids(`?start=${BASE + 1}&end=${BASE + 2000}`)).toEqual([
      CART_TRACE_ID,
      FEED_TRACE_ID,
    ]);
    const iso = new Date(BASE + 2500).toISOString();
    expect(await ids(`?start=${encodeURIComponent(iso)}`)).toEqual([CHARGE_TRACE_ID]);
  });

  it('returns at most limit traces, the newest', async () => {
    expect(await ids('?limit=2')).toEqual([CHARGE_TRACE_ID, CART_TRACE_ID]);
    expect(await ids('?limit=1&status=ok')).toEqual([CART_TRACE_ID]);
    expect(await ids('?limit=1000')).toHaveLength(4);
  });

  it('combines filters', async () => {
    expect(await ids('?serviceName=inventory&status=error&maxDuration=200')).toEqual([
      CHECKOUT_TRACE_ID,
    ]);
  });

  it('defaults to 20 traces', async () => {
    const more: SimpleSpan[] = [];
    for (let i = 0; i < 25; i++) {
      more.push({
        traceId: hexId(0x1000 + i, 32),
        spanId: hexId(0x1000 + i, 16),
        service: 'bulk',
        name: 'tick',
        start: BASE - 10_000 + i,
        end: BASE - 10_000 + i + 1,
      });
    }
    await sendSpans(server.url, more);
    const { body } = await getJson(server.url, '/traces/query?serviceName=bulk');
    expect(body.traces).toHaveLength(20);
    // Newest first: the last one sent started last.
    expect(body.traces[0].traceId).toBe(hexId(0x1000 + 24, 32));
    expect(body.traces[19].traceId).toBe(hexId(0x1000 + 5, 32));
  });
});

describe('GET /stats', () => {
  const servers: DevServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });
  const start = async (options: Parameters<typeof startDevServer>[0]) => {
    const server = await startDevServer({ port: 0, ...options });
    servers.push(server);
    return server;
  };

  it('shows each change of the store at once, though the trace figures are cached between changes', async () => {
    const server = await start({ idleMs: 60_000 });
    await sendSpans(server.url, CART);
    const first = (await getJson(server.url, '/stats')).body;
    expect(first.totalTraces).toBe(1);
    expect((await getJson(server.url, '/stats')).body).toEqual(first);
    await sendSpans(server.url, FEED);
    const second = (await getJson(server.url, '/stats')).body;
    expect(second.totalTraces).toBe(2);
    expect(second.activeTraces).toBe(2);
  });

  it('counts traces, services and ingest, and completes idle traces', async () => {
    const server = await start({ idleMs: 50 });
    for (const spans of [CHECKOUT, FEED, CART, CHARGE]) await sendSpans(server.url, spans);
    // One request with only a span that cannot be kept: a 400 (Bad Data), its span counted.
    const rejected = await fetch(`${server.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: '0'.repeat(32),
                    spanId: '1'.repeat(16),
                    name: 'bad',
                    startTimeUnixNano: '1',
                    endTimeUnixNano: '2',
                  },
                ],
              },
            ],
          },
        ],
      }),
    });
    expect(rejected.status).toBe(400);
    await rejected.text();
    // And one that cannot be decoded.
    const bad = await fetch(`${server.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(bad.status).toBe(400);
    await bad.text();

    await eventually(async () => {
      const { body } = await getJson(server.url, '/stats');
      expect(body.completedTraces).toBe(4);
    });
    const { status, body } = await getJson(server.url, '/stats');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      totalTraces: 4,
      activeTraces: 0,
      completedTraces: 4,
      failedTraces: 2,
      avgDuration: (100 + 100 + 5 + 500) / 4,
      ingest: {
        requests: 6,
        requestsRejected: 2,
        spansAccepted: 13,
        spansRejected: 1,
        spansStored: 13,
        spansReplayed: 0,
      },
      dropped: {
        tracesEvicted: 0,
        spansEvicted: 0,
        tailSampledTraces: 0,
        tailSampledSpans: 0,
        lateSpansDropped: 0,
        spansRejected: 1,
      },
    });
    expect(body.ingest.bytesReceived).toBeGreaterThan(0);
    expect(body.slowestTraces.map((t: { traceId: string }) => t.traceId)).toEqual([
      CHARGE_TRACE_ID,
      FEED_TRACE_ID,
      CHECKOUT_TRACE_ID,
      CART_TRACE_ID,
    ]);
    expect(body.slowestTraces[0]).toMatchObject({ rootService: 'payments', complete: true });
    expect(Object.keys(body.serviceStats)).toEqual([
      'api',
      'cart',
      'db',
      'gateway',
      'inventory',
      'payments',
      'postgres',
      'posts',
      'redis',
      'users',
    ]);
    // cart: CHECKOUT's `load cart` (8 ms) and CART's root (5 ms).
    expect(body.serviceStats.cart).toEqual({ count: 2, avgDuration: 6.5, errorRate: 0, p99: 8 });
    expect(body.serviceStats.db).toEqual({ count: 1, avgDuration: 45, errorRate: 1, p99: 45 });
    // api: GET /feed (100 ms) and render (10 ms).
    expect(body.serviceStats.api).toEqual({ count: 2, avgDuration: 55, errorRate: 0, p99: 100 });
    // inventory: reserve (60 ms, ok) and load cart (3 ms, ok).
    expect(body.serviceStats.inventory).toMatchObject({ count: 2, errorRate: 0, p99: 60 });
  });

  it('counts the traces and spans evicted past maxTraces', async () => {
    const server = await start({ idleMs: 60_000, maxTraces: 2 });
    for (const spans of [CHECKOUT, FEED, CART]) await sendSpans(server.url, spans);
    const { body } = await getJson(server.url, '/stats');
    expect(body.totalTraces).toBe(2);
    expect(body.dropped).toMatchObject({ tracesEvicted: 1, spansEvicted: 4 });
    expect(body.ingest.spansAccepted).toBe(12);
    // The first received is the one evicted.
    expect((await getJson(server.url, `/traces/${CHECKOUT_TRACE_ID}`)).status).toBe(404);
    expect((await getJson(server.url, `/traces/${CART_TRACE_ID}`)).status).toBe(200);
  });

  it('counts the traces tail sampling drops, and the late spans of a dropped trace', async () => {
    // Keep errors and traces slower than 200 ms; none of the rest.
    const server = await start({ idleMs: 50, tailSampling: { slowerThanMs: 200, ratio: 0 } });
    const slow: SimpleSpan[] = [
      {
        traceId: '8bf92f3577b34da6a3ce929d0e0e4736',
        spanId: '5000000000000001',
        service: 'reports',
        name: 'build',
        start: BASE,
        end: BASE + 250,
      },
    ];
    // FEED: fast and ok (dropped); CHECKOUT: error (kept); slow (kept).
    for (const spans of [FEED, CHECKOUT, slow]) await sendSpans(server.url, spans);
    await eventually(async () => {
      const { body } = await getJson(server.url, '/stats');
      expect(body.dropped.tailSampledTraces).toBe(1);
      expect(body.completedTraces).toBe(2);
    });
    expect((await getJson(server.url, `/traces/${FEED_TRACE_ID}`)).status).toBe(404);
    expect((await getJson(server.url, `/traces/${CHECKOUT_TRACE_ID}`)).status).toBe(200);
    expect((await getJson(server.url, `/traces/${slow[0]!.traceId}`)).status).toBe(200);

    // A late span of the dropped trace is dropped too.
    await sendSpans(server.url, [{ ...FEED[5]!, spanId: '2000000000000099' }]);
    const { body } = await getJson(server.url, '/stats');
    expect(body.totalTraces).toBe(2);
    expect(body.dropped).toMatchObject({
      tailSampledTraces: 1,
      tailSampledSpans: 6,
      lateSpansDropped: 1,
    });
    expect((await getJson(server.url, `/traces/${FEED_TRACE_ID}`)).status).toBe(404);
  });
});
