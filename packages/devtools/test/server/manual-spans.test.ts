/** The manual-span API (`POST /traces/start`, `/traces/span`, `/traces/span/finish`) end to end. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../../src/server';
import { expectError, getJson, postJson } from '../helpers/devtools-http';

let server: DevServer;
beforeAll(async () => {
  server = await startDevServer({ port: 0, idleMs: 60_000 });
});
afterAll(() => server.close());

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

describe('manual spans', () => {
  it('start → child with a duration → open child → finish: the trace, visible throughout', async () => {
    const started = await postJson(server.url, '/traces/start', {
      serviceName: 'shop',
      operationName: 'checkout',
      tags: { user: 'u1', items: 2, vip: true, list: ['a', 'b'] },
    });
    expect(started.status).toBe(201);
    expect(started.body).toEqual({
      traceId: expect.stringMatching(TRACE_ID),
      spanId: expect.stringMatching(SPAN_ID),
    });
    const { traceId, spanId: rootId } = started.body;

    // Visible while the root is still open.
    const open = await getJson(server.url, `/traces/${traceId}`);
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({
      traceId,
      spanCount: 1,
      complete: false,
      rootSpan: {
        spanId: rootId,
        parentSpanId: null,
        service: 'shop',
        operation: 'checkout',
        kind: 'server',
        status: 'unset',
        tags: { user: 'u1', items: 2, vip: true, list: ['a', 'b'] },
      },
    });

    const done = await postJson(server.url, '/traces/span', {
      traceId,
      parentSpanId: rootId,
      serviceName: 'db',
      operationName: 'SELECT cart',
      duration: 12.5,
      status: 'error',
      tags: { 'db.system': 'sqlite' },
    });
    expect(done.status).toBe(201);
    expect(done.body).toEqual({ spanId: expect.stringMatching(SPAN_ID) });

    const pending = await postJson(server.url, '/traces/span', {
      traceId,
      parentSpanId: rootId,
      serviceName: 'payments',
      operationName: 'charge',
    });
    expect(pending.status).toBe(201);
    // A child of the open child.
    const grandchild = await postJson(server.url, '/traces/span', {
      traceId,
      parentSpanId: pending.body.spanId,
      serviceName: 'payments',
      operationName: 'call bank',
      duration: 0,
    });
    expect(grandchild.status).toBe(201);

    const midway = await getJson(server.url, `/traces/${traceId}`);
    expect(midway.body.spanCount).toBe(4);
    expect(midway.body.rootSpan.spanId).toBe(rootId);
    expect(midway.body.status).toBe('error');

    const finishedChild = await postJson(server.url, '/traces/span/finish', {
      spanId: pending.body.spanId,
      status: 'ok',
    });
    expect(finishedChild.status).toBe(200);
    expect(finishedChild.body).toEqual({
      spanId: pending.body.spanId,
      duration: expect.any(Number),
    });
    expect(finishedChild.body.duration).toBeGreaterThanOrEqual(0);

    const finishedRoot = await postJson(server.url, '/traces/span/finish', { spanId: rootId });
    expect(finishedRoot.status).toBe(200);
    expect(finishedRoot.body.duration).toBeGreaterThanOrEqual(finishedChild.body.duration);

    // Finishing again: the span is no longer open.
    expectError(
      await postJson(server.url, '/traces/span/finish', { spanId: rootId }),
      404,
      new RegExp(rootId),
    );

    const view = await getJson(server.url, `/traces/${traceId}`);
    expect(view.status).toBe(200);
    const byId = new Map<string, { startTime: number }>(
      view.body.spans.map((span: { spanId: string; startTime: number }) => [span.spanId, span]),
    );
    expect(view.body.spanCount).toBe(4);
    expect(byId.get(rootId)).toMatchObject({
      parentSpanId: null,
      status: 'unset',
      kind: 'server',
      duration: finishedRoot.body.duration,
    });
    expect(byId.get(done.body.spanId)).toMatchObject({
      parentSpanId: rootId,
      service: 'db',
      operation: 'SELECT cart',
      kind: 'internal',
      status: 'error',
      duration: 12.5,
      tags: { 'db.system': 'sqlite' },
    });
    expect(byId.get(pending.body.spanId)).toMatchObject({
      parentSpanId: rootId,
      status: 'ok',
      duration: finishedChild.body.duration,
    });
    expect(byId.get(grandchild.body.spanId)).toMatchObject({
      parentSpanId: pending.body.spanId,
      operation: 'call bank',
      status: 'unset',
      duration: 0,
    });
    expect(view.body.serviceCalls).toEqual({ db: 1, payments: 2, shop: 1 });

    // A child never starts before its parent, even with a duration longer than the parent's age.
    for (const id of [done.body.spanId, pending.body.spanId]) {
      expect(byId.get(id)!.startTime).toBeGreaterThanOrEqual(byId.get(rootId)!.startTime);
    }
    const waterfall = await getJson(server.url, `/traces/${traceId}/visualize`);
    expect(waterfall.body.tree.spanId).toBe(rootId);
    expect(waterfall.body.tree.children).toHaveLength(2);
    expect(waterfall.body.roots).toHaveLength(1);

    // Stored like received spans: listed by the query.
    const query = await getJson(server.url, '/traces/query?serviceName=shop');
    expect(query.body.traces.map((t: { traceId: string }) => t.traceId)).toEqual([traceId]);
  });

  it('finishes a root with an error status', async () => {
    const { body } = await postJson(server.url, '/traces/start', {
      serviceName: 'shop',
      operationName: 'refund',
    });
    const finished = await postJson(server.url, '/traces/span/finish', {
      spanId: body.spanId,
      status: 'error',
    });
    expect(finished.status).toBe(200);
    const view = await getJson(server.url, `/traces/${body.traceId}`);
    expect(view.body).toMatchObject({ status: 'error', rootSpan: { status: 'error' } });
  });

  it('takes an ended span as a parent', async () => {
    const { body: root } = await postJson(server.url, '/traces/start', {
      serviceName: 'shop',
      operationName: 'background',
    });
    await postJson(server.url, '/traces/span/finish', { spanId: root.spanId });
    const late = await postJson(server.url, '/traces/span', {
      traceId: root.traceId,
      parentSpanId: root.spanId,
      serviceName: 'mailer',
      operationName: 'send receipt',
      duration: 3,
    });
    expect(late.status).toBe(201);
    const view = await getJson(server.url, `/traces/${root.traceId}`);
    expect(view.body.spanCount).toBe(2);
  });
});

describe('manual span errors', () => {
  let traceId: string;
  let rootId: string;
  beforeAll(async () => {
    const { body } = await postJson(server.url, '/traces/start', {
      serviceName: 'errors',
      operationName: 'root',
    });
    ({ traceId, spanId: rootId } = body);
  });

  const stillServing = async (): Promise<void> => {
    const { status, body } = await postJson(server.url, '/traces/span', {
      traceId,
      parentSpanId: rootId,
      serviceName: 'errors',
      operationName: 'after an error',
      duration: 1,
    });
    expect({ status, body }).toEqual({ status: 201, body: { spanId: expect.any(String) } });
  };

  it.each([
    ['/traces/start', { operationName: 'x' }, /serviceName/],
    ['/traces/start', { serviceName: '', operationName: 'x' }, /serviceName/],
    ['/traces/start', { serviceName: 'a', operationName: 42 }, /operationName/],
    ['/traces/start', { serviceName: 'a', operationName: 'x'.repeat(1025) }, /operationName/],
    ['/traces/start', { serviceName: 'a', operationName: 'x', tags: 'x' }, /tags/],
    ['/traces/start', { serviceName: 'a', operationName: 'x', tags: [1] }, /tags/],
    ['/traces/start', { serviceName: 'a', operationName: 'x', tags: { f: { g: {} } } }, null],
    ['/traces/start', { serviceName: 'a', operationName: 'x', status: 'fine' }, /status/],
    ['/traces/span', { traceId: 'xyz', parentSpanId: '1'.repeat(16) }, /traceId/],
    ['/traces/span', { traceId: '0'.repeat(32), parentSpanId: '1'.repeat(16) }, /traceId/],
    ['/traces/span', { traceId: 'A'.repeat(32), parentSpanId: '1'.repeat(16) }, /traceId/],
    ['/traces/span/finish', { spanId: 'nope' }, /spanId/],
    ['/traces/span/finish', {}, /spanId/],
  ] as [string, Record<string, unknown>, RegExp | null][])(
    'POST %s %j is a 400',
    async (path, body, message) => {
      const response = await postJson(server.url, path, body);
      if (message === null) {
        // An empty object is an attribute value (a kvlist); only non-JSON values are refused.
        expect(response.status).toBe(201);
      } else {
        expectError(response, 400, message);
      }
      await stillServing();
    },
  );

  it('refuses a tag value that is not finite', async () => {
    const response = await postJson(
      server.url,
      '/traces/start',
      '{"serviceName":"a","operationName":"b","tags":{"n":1e400}}',
    );
    expectError(response, 400, /tag "n"/);
    await stillServing();
  });

  it('refuses a bad status or duration on a child, and a bad status on finish', async () => {
    const child = { traceId, parentSpanId: rootId, serviceName: 'e', operationName: 'c' };
    expectError(
      await postJson(server.url, '/traces/span', { ...child, status: 'OK' }),
      400,
      /status/,
    );
    expectError(
      await postJson(server.url, '/traces/span', { ...child, duration: -1 }),
      400,
      /duration/,
    );
    expectError(
      await postJson(server.url, '/traces/span', { ...child, duration: '5' }),
      400,
      /duration/,
    );
    const open = await postJson(server.url, '/traces/span', child);
    expectError(
      await postJson(server.url, '/traces/span/finish', { spanId: open.body.spanId, status: 2 }),
      400,
      /status/,
    );
    // The refused finish left it open.
    const finished = await postJson(server.url, '/traces/span/finish', {
      spanId: open.body.spanId,
    });
    expect(finished.status).toBe(200);
    await stillServing();
  });

  it('answers 404 for an unknown parent, an unknown trace, and a span that is not open', async () => {
    expectError(
      await postJson(server.url, '/traces/span', {
        traceId,
        parentSpanId: 'abcdefabcdefabcd',
        serviceName: 'e',
        operationName: 'c',
      }),
      404,
      /no span abcdefabcdefabcd/,
    );
    expectError(
      await postJson(server.url, '/traces/span', {
        traceId: 'f'.repeat(32),
        parentSpanId: rootId,
        serviceName: 'e',
        operationName: 'c',
      }),
      404,
      /unknown trace/,
    );
    expectError(
      await postJson(server.url, '/traces/span/finish', { spanId: 'abcdefabcdefabcd' }),
      404,
      /no open span/,
    );
    await stillServing();
  });

  it.each([
    ['not JSON', '{"serviceName":', 400, /not valid JSON/],
    ['an array', '[]', 400, /JSON object/],
    ['a string', '"start"', 400, /JSON object/],
    ['null', 'null', 400, /JSON object/],
    ['empty', '', 400, /not valid JSON/],
  ] as const)('refuses a body that is %s', async (_, body, status, message) => {
    for (const path of ['/traces/start', '/traces/span', '/traces/span/finish']) {
      expectError(await postJson(server.url, path, body), status, message);
    }
    await stillServing();
  });

  it('refuses another content type with 415', async () => {
    const body = JSON.stringify({ serviceName: 'a', operationName: 'b' });
    expectError(
      await postJson(server.url, '/traces/start', body, 'text/plain'),
      415,
      /text\/plain/,
    );
    expectError(
      await postJson(server.url, '/traces/start', body, 'application/x-www-form-urlencoded'),
      415,
    );
    await stillServing();
  });

  it('refuses a body over 1 MiB with 413, and keeps serving', async () => {
    const body = JSON.stringify({
      serviceName: 'a',
      operationName: 'b',
      tags: { big: 'x'.repeat(2 * 1024 * 1024) },
    });
    const response = await postJson(server.url, '/traces/start', body);
    expectError(response, 413, /larger|over/);
    expect(response.headers.get('connection')).toBe('close');
    await stillServing();
    await stillServing();
  });

  it('refuses the wrong method with 405 and Allow', async () => {
    for (const path of ['/traces/start', '/traces/span', '/traces/span/finish']) {
      const response = await getJson(server.url, path);
      expectError(response, 405);
      expect(response.headers.get('allow')).toBe('POST');
    }
    await stillServing();
  });
});
