/**
 * Drives test/w3c-service.mjs over loopback the way the official w3c/trace-context suite does:
 * POST /test with traceparent/tracestate and a list of callbacks, then checks what reached the
 * callbacks. Needs the built packages (npm run build).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

const TRACE_ID = '12345678901234567890123456789012';
const PARENT_ID = '1234567890123456';
let service: ChildProcess;
let serviceUrl: string;
let harness: Server;
let harnessUrl: string;
const received: Received[] = [];

function startService(): Promise<string> {
  return new Promise((resolve, reject) => {
    service = spawn(process.execPath, [new URL('./w3c-service.mjs', import.meta.url).pathname], {
      env: { ...process.env, PORT: '0', OTEL_PROPAGATORS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    service.stderr!.on('data', (chunk) => {
      stderr += chunk;
    });
    service.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening on (\S+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
    service.on('exit', (code) => reject(new Error(`service exited ${code}: ${stderr}`)));
  });
}

beforeAll(async () => {
  harness = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        headers: request.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => harness.listen(0, '127.0.0.1', resolve));
  harnessUrl = `http://127.0.0.1:${(harness.address() as AddressInfo).port}`;
  serviceUrl = await startService();
}, 30_000);

afterAll(async () => {
  service?.kill('SIGTERM');
  await new Promise((resolve) => harness?.close(resolve));
});

async function runTest(headers: Record<string, string>, cases: unknown[]): Promise<Received[]> {
  received.length = 0;
  const response = await fetch(`${serviceUrl}/test`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(cases),
  });
  expect(response.status).toBe(200);
  await response.text();
  return received.slice();
}

function parseTraceparent(value: unknown) {
  const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(String(value));
  expect(match, `traceparent ${String(value)}`).not.toBeNull();
  return { traceId: match![1]!, parentId: match![2]!, flags: match![3]! };
}

describe('the W3C test service', () => {
  it('calls each callback in order with its arguments and a child traceparent', async () => {
    const calls = await runTest(
      { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`, tracestate: 'foo=1,bar=2' },
      [
        { url: `${harnessUrl}/a`, arguments: { n: 1 } },
        { url: `${harnessUrl}/b`, arguments: [{ url: 'http://x', arguments: [] }] },
      ],
    );
    expect(calls.map((c) => c.path)).toEqual(['/a', '/b']);
    expect(calls.map((c) => c.body)).toEqual([{ n: 1 }, [{ url: 'http://x', arguments: [] }]]);
    const first = parseTraceparent(calls[0]!.headers.traceparent);
    const second = parseTraceparent(calls[1]!.headers.traceparent);
    expect(first.traceId).toBe(TRACE_ID);
    expect(second.traceId).toBe(TRACE_ID);
    expect(first.parentId).not.toBe(PARENT_ID);
    expect(second.parentId).not.toBe(first.parentId);
    expect(Number.parseInt(first.flags, 16) & 1).toBe(1);
    expect(calls[0]!.headers.tracestate).toBe('foo=1,bar=2');
  });

  it('restarts the trace on an invalid traceparent and drops its tracestate', async () => {
    const calls = await runTest(
      { traceparent: `ff-${TRACE_ID}-${PARENT_ID}-01`, tracestate: 'foo=1' },
      [{ url: `${harnessUrl}/c`, arguments: {} }],
    );
    expect(parseTraceparent(calls[0]!.headers.traceparent).traceId).not.toBe(TRACE_ID);
    expect(calls[0]!.headers.tracestate).toBeUndefined();
  });

  it('discards an invalid tracestate but keeps the trace', async () => {
    const calls = await runTest(
      { traceparent: `00-${TRACE_ID}-${PARENT_ID}-00`, tracestate: 'foo=1,foo=2' },
      [{ url: `${harnessUrl}/d`, arguments: {} }],
    );
    expect(parseTraceparent(calls[0]!.headers.traceparent).traceId).toBe(TRACE_ID);
    expect(calls[0]!.headers.tracestate).toBeUndefined();
  });

  it('answers 400 to a body that is not a list', async () => {
    const response = await fetch(`${serviceUrl}/test`, { method: 'POST', body: '{' });
    expect(response.status).toBe(400);
    await response.text();
  });
});
