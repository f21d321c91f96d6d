/**
 * DNS rebinding: listening on loopback, the server answers only requests whose Host names the
 * loopback (a page on attacker.example that rebound its name to 127.0.0.1 sends
 * `Host: attacker.example:4318`). The OTLP receiver takes spans whatever the Host. Listening on
 * every interface, the server takes any Host.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../../src/server';
import { otlpRequest } from '../helpers/otlp-bodies';
import { CART, CHECKOUT, CHECKOUT_TRACE_ID } from '../helpers/sample-traces';

/** A request with a Host header of our choosing (fetch does not let a caller set it). */
function send(
  server: DevServer,
  path: string,
  host: string,
  options: { method?: string; headers?: Record<string, string>; body?: Uint8Array } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: options.method ?? 'GET',
        headers: { ...options.headers, host },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('listening on loopback', () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startDevServer({ port: 0, idleMs: 60_000 });
  });
  afterAll(() => server.close());

  it.each(['/traces/query', '/stats', `/traces/${CHECKOUT_TRACE_ID}`, '/', '/app.js'])(
    'GET %s with a foreign Host: 403',
    async (path) => {
      for (const host of ['attacker.example', `attacker.example:${server.port}`, '10.1.2.3:80']) {
        const response = await send(server, path, host);
        expect(response.status, host).toBe(403);
        expect(JSON.parse(response.body).error).toMatch(/not a loopback name or address/);
      }
    },
  );

  it('refuses the manual-span API to a foreign Host too', async () => {
    const response = await send(server, '/traces/start', `attacker.example:${server.port}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new TextEncoder().encode('{"serviceName":"a","operationName":"b"}'),
    });
    expect(response.status).toBe(403);
  });

  it.each(['localhost', 'localhost:PORT', '127.0.0.1:PORT', '[::1]:PORT'])(
    'answers Host %s',
    async (host) => {
      const response = await send(server, '/stats', host.replace('PORT', String(server.port)));
      expect(response.status).toBe(200);
    },
  );

  it('takes OTLP exports whatever the Host (the endpoint an exporter was given)', async () => {
    const { body, headers } = otlpRequest(CHECKOUT, 'protobuf');
    const response = await send(server, '/v1/traces', 'my-laptop.example:4318', {
      method: 'POST',
      headers,
      body,
    });
    expect(response.status).toBe(200);
    const stored = await send(server, `/traces/${CHECKOUT_TRACE_ID}`, `127.0.0.1:${server.port}`);
    expect(JSON.parse(stored.body).spanCount).toBe(CHECKOUT.length);
  });
});

describe('listening on every interface', () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startDevServer({ port: 0, host: '0.0.0.0', idleMs: 60_000 });
  });
  afterAll(() => server.close());

  it('takes any Host: the collector is shared on purpose', async () => {
    const { body, headers } = otlpRequest(CART);
    expect(
      (await send(server, '/v1/traces', 'ci-runner:4318', { method: 'POST', headers, body }))
        .status,
    ).toBe(200);
    for (const host of ['devbox.internal:4318', '192.168.1.20:4318', 'localhost']) {
      expect((await send(server, '/traces/query', host)).status, host).toBe(200);
    }
  });
});
