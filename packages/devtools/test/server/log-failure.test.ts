/**
 * A full disk under `--data-dir`: the OTLP request whose spans cannot be written gets a 503 with
 * a google.rpc.Status in its own encoding (OTLP/HTTP: retryable), and nothing of it stays in the
 * store; the next request is taken normally.
 */
import { type FileHandle, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { type DevServer, startDevServer } from '../../src/server';
import { decodeRpcStatus } from '../fixtures/otlp-proto';
import { getJson, postJson, sendSpans } from '../helpers/devtools-http';
import { type OtlpEncoding, otlpRequest } from '../helpers/otlp-bodies';
import { CART, CART_TRACE_ID, CHECKOUT, CHECKOUT_TRACE_ID } from '../helpers/sample-traces';

let dataDir: string;
let server: DevServer;
const errors: unknown[] = [];
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'spanlite-devtools-full-'));
  server = await startDevServer({
    port: 0,
    idleMs: 60_000,
    dataDir,
    onError: (error) => errors.push(error),
  });
  await sendSpans(server.url, CHECKOUT);
});
afterEach(() => vi.restoreAllMocks());
afterAll(async () => {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The log's next write fails as on a full disk. */
async function failNextWrite(): Promise<void> {
  const handle: FileHandle = await open(join(dataDir, 'probe'), 'w');
  const prototype = Object.getPrototypeOf(handle) as FileHandle;
  await handle.close();
  const full = Object.assign(new Error('ENOSPC: no space left on device, write'), {
    code: 'ENOSPC',
  });
  vi.spyOn(prototype, 'writev').mockRejectedValueOnce(full);
}

it.each(['protobuf', 'json'] as OtlpEncoding[])(
  '%s: 503 with a google.rpc.Status, and nothing of the request is stored',
  async (encoding) => {
    const before = (await getJson(server.url, '/stats')).body;
    await failNextWrite();
    // A new trace (one per encoding), and a late span of a stored one.
    const traceId = encoding === 'json' ? `f${CART_TRACE_ID.slice(1)}` : CART_TRACE_ID;
    const cart = CART.map((span) => ({ ...span, traceId }));
    const late = { ...CART[1]!, traceId: CHECKOUT_TRACE_ID, spanId: '7777777777777777' };
    const { body, headers } = otlpRequest([...cart, late], encoding);
    const response = await fetch(`${server.url}/v1/traces`, { method: 'POST', headers, body });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe(headers['content-type']);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const status =
      encoding === 'json' ? JSON.parse(new TextDecoder().decode(bytes)) : decodeRpcStatus(bytes);
    expect(status).toMatchObject({ code: 14, message: expect.stringMatching(/ENOSPC/) });

    expect((await getJson(server.url, `/traces/${traceId}`)).status).toBe(404);
    const checkout = (await getJson(server.url, `/traces/${CHECKOUT_TRACE_ID}`)).body;
    expect(checkout.spanCount).toBe(CHECKOUT.length);
    const after = (await getJson(server.url, '/stats')).body;
    expect(after.totalTraces).toBe(before.totalTraces);
    expect(after.store.bytesStored).toBe(before.store.bytesStored);
    expect(after.ingest).toMatchObject({
      requests: before.ingest.requests + 1,
      requestsRejected: before.ingest.requestsRejected + 1,
      spansAccepted: before.ingest.spansAccepted,
    });
    expect(errors.at(-1)).toMatchObject({ code: 'ENOSPC' });

    // The exporter's retry is taken.
    await sendSpans(server.url, cart, encoding);
    expect((await getJson(server.url, `/traces/${traceId}`)).body.spanCount).toBe(CART.length);
  },
);

it('manual spans: a finish the log cannot take gets 503, and the span stays open to finish again', async () => {
  const started = await postJson(server.url, '/traces/start', {
    serviceName: 'script',
    operationName: 'step',
  });
  expect(started.status).toBe(201);
  const { traceId, spanId } = started.body;
  await failNextWrite();
  const failed = await postJson(server.url, '/traces/span/finish', { spanId, status: 'error' });
  expect(failed.status).toBe(503);
  expect(failed.body.error).toMatch(/ENOSPC/);
  // Still there, still open: nothing is lost, and the client can finish it again.
  const open = await getJson(server.url, `/traces/${traceId}`);
  expect(open.status).toBe(200);
  expect(open.body).toMatchObject({ spanCount: 1, complete: false });
  expect(open.body.rootSpan).toMatchObject({ spanId, status: 'unset' });
  const finished = await postJson(server.url, '/traces/span/finish', { spanId, status: 'error' });
  expect(finished.status).toBe(200);
  const stored = await getJson(server.url, `/traces/${traceId}`);
  expect(stored.body).toMatchObject({ spanCount: 1 });
  expect(stored.body.rootSpan).toMatchObject({ spanId, status: 'error' });
});

it('manual spans: a child with a duration the log cannot take gets 503, and is not stored', async () => {
  const { traceId, spanId: parentSpanId } = (
    await postJson(server.url, '/traces/start', { serviceName: 'script', operationName: 'run' })
  ).body;
  await failNextWrite();
  const failed = await postJson(server.url, '/traces/span', {
    traceId,
    parentSpanId,
    serviceName: 'script',
    operationName: 'quick step',
    duration: 5,
  });
  expect(failed.status).toBe(503);
  expect((await getJson(server.url, `/traces/${traceId}`)).body.spanCount).toBe(1);
});
