import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type ReadBodyResult, readRequestBody } from './read-request-body';

const CAP = 1024;

let server: Server | undefined;
afterEach(
  () =>
    new Promise<void>((resolve) => {
      server?.closeAllConnections();
      server?.close(() => resolve());
      server = undefined;
    }),
);

/** A server answering each request with what `readRequestBody` made of it. */
async function start(): Promise<{ port: number; results: ReadBodyResult[] }> {
  const results: ReadBodyResult[] = [];
  server = createServer(async (req, res) => {
    const result = await readRequestBody(req, CAP);
    results.push(result);
    if (result.ok) {
      res.writeHead(200).end(String(result.body.length));
    } else {
      res.writeHead(result.status, { connection: 'close' }).end(result.error);
    }
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { port: (server!.address() as AddressInfo).port, results };
}

const responseText = (response: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk) => (text += chunk));
    response.on('end', () => resolve(text));
  });

describe('readRequestBody', () => {
  it('returns the whole body when it is within the cap', async () => {
    const { port, results } = await start();
    const body = Buffer.alloc(CAP, 7);
    const response = await new Promise<IncomingMessage>((resolve) => {
      const req = request({ port, host: '127.0.0.1', method: 'POST' }, resolve);
      req.write(body.subarray(0, 100));
      req.end(body.subarray(100));
    });
    expect(response.statusCode).toBe(200);
    expect(await responseText(response)).toBe(String(CAP));
    expect(results[0]).toEqual({ ok: true, body: expect.any(Uint8Array) });
    expect(Buffer.from((results[0] as { body: Uint8Array }).body).equals(body)).toBe(true);
  });

  it('refuses a declared Content-Length over the cap with 413 before reading', async () => {
    const { port, results } = await start();
    const response = await new Promise<IncomingMessage>((resolve) => {
      const req = request(
        { port, host: '127.0.0.1', method: 'POST', headers: { 'content-length': CAP + 1 } },
        resolve,
      );
      req.on('error', () => {});
      // Nothing of the body is sent: the answer must not wait for it.
      req.flushHeaders();
    });
    expect(response.statusCode).toBe(413);
    expect(await responseText(response)).toMatch(/over the 1024-byte cap/);
    expect(results[0]).toMatchObject({ ok: false, status: 413 });
  });

  it('stops reading a streamed body once it passes the cap and answers 413 before it ends', async () => {
    const { port, results } = await start();
    const response = await new Promise<IncomingMessage>((resolve) => {
      const req = request({ port, host: '127.0.0.1', method: 'POST' }, resolve); // chunked
      req.on('error', () => {});
      req.write(Buffer.alloc(CAP / 2));
      req.write(Buffer.alloc(CAP)); // past the cap; the request is never ended
    });
    expect(response.statusCode).toBe(413);
    expect(response.headers.connection).toBe('close');
    expect(results[0]).toEqual({
      ok: false,
      status: 413,
      error: 'the body (more than 1024 bytes) is over the 1024-byte cap',
    });
  });

  it('answers 400 when the client goes away before the body ends', async () => {
    const results: ReadBodyResult[] = [];
    const settled = new Promise<void>((resolve) => {
      server = createServer(async (req) => {
        results.push(await readRequestBody(req, CAP));
        resolve();
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server!.address() as AddressInfo;
    const req = request({ port, host: '127.0.0.1', method: 'POST' });
    req.on('error', () => {});
    req.write('partial', () => req.destroy());
    await settled;
    expect(results[0]).toMatchObject({ ok: false, status: 400 });
  });
});
