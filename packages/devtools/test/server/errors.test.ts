/**
 * Every refusal of the trace, query and OTLP endpoints: a 4xx with `{ error }` (a google.rpc.Status
 * in the request's encoding for OTLP), nothing stored, and the server keeps serving. Also CORS on
 * the receiver and the UI's page.
 */
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../../src/server';
import { decodeResponse, decodeRpcStatus } from '../fixtures/otlp-proto';
import { jsonBody, jsonRequest, protobufBody } from '../fixtures/span-spec';
import { expectError, getJson, request, sendSpans } from '../helpers/devtools-http';
import { batchOf, otlpRequest } from '../helpers/otlp-bodies';
import {
  CART,
  CART_TRACE_ID,
  CHARGE,
  CHARGE_TRACE_ID,
  CHECKOUT,
  CHECKOUT_TRACE_ID,
} from '../helpers/sample-traces';

const MAX_BODY = 64 * 1024;
/** The trace of the link and bytes refusals' spans, which none of the sample traces uses. */
const LINKED_TRACE_ID = 'f1'.repeat(16);
let server: DevServer;
beforeAll(async () => {
  server = await startDevServer({ port: 0, idleMs: 60_000, maxBodyBytes: MAX_BODY });
  await sendSpans(server.url, CHECKOUT);
});
afterAll(() => server.close());

/** A good request after each refusal still succeeds. */
async function stillServing(): Promise<void> {
  const { status, body } = await getJson(server.url, `/traces/${CHECKOUT_TRACE_ID}`);
  expect({ status, spanCount: body.spanCount }).toEqual({ status: 200, spanCount: 4 });
}

/** The google.rpc.Status a protobuf error answer carries. */
const rpcStatusOf = async (response: Response) =>
  decodeRpcStatus(new Uint8Array(await response.arrayBuffer()));

const postOtlp = (body: Uint8Array<ArrayBuffer> | string, headers: Record<string, string>) =>
  fetch(`${server.url}/v1/traces`, { method: 'POST', headers, body });

describe('request targets', () => {
  it('400 for an absolute-form target that is no URL (`GET http://[/`), not a 500', async () => {
    const { port } = new URL(server.url);
    const statusLine = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('GET http://[/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
      });
      let text = '';
      socket.on('data', (chunk) => (text += chunk));
      socket.on('end', () => resolve(text.split('\r\n')[0]!));
      socket.on('error', reject);
    });
    expect(statusLine).toBe('HTTP/1.1 400 Bad Request');
    await stillServing();
  });
});

describe('trace endpoints', () => {
  it.each(['', '/visualize', '/analyze'])(
    'GET /traces/:id%s: 404 for an unknown trace',
    async (view) => {
      expectError(
        await getJson(server.url, `/traces/${'e'.repeat(32)}${view}`),
        404,
        /unknown trace/,
      );
      await stillServing();
    },
  );

  it.each([
    'xyz',
    'e'.repeat(31),
    'e'.repeat(33),
    'g'.repeat(32),
    `${'e'.repeat(31)}%20`,
    '%zz',
    `${'e'.repeat(30)}%E0%A4%A`,
  ])('GET /traces/%s (and its views): 400 for a malformed id', async (id) => {
    for (const view of ['', '/visualize', '/analyze']) {
      expectError(await getJson(server.url, `/traces/${id}${view}`), 400, /32 hex digits/);
    }
    await stillServing();
  });

  it.each([
    ['POST', `/traces/${CHECKOUT_TRACE_ID}`, 'GET'],
    ['DELETE', `/traces/${CHECKOUT_TRACE_ID}/analyze`, 'GET'],
    ['PUT', '/traces/query', 'GET'],
    ['POST', '/stats', 'GET'],
  ])('%s %s: 405 with Allow', async (method, path, allow) => {
    const response = await request(server.url, path, { method });
    expectError(response, 405, new RegExp(method));
    expect(response.headers.get('allow')).toBe(allow);
    await stillServing();
  });

  it.each(['/nope', '/traces', '/traces/a/b/c', '/v1', '/index.htm'])(
    'GET %s: 404 for an unknown route',
    async (path) => {
      expectError(await getJson(server.url, path), 404, /no route/);
      await stillServing();
    },
  );
});

describe('GET /traces/query refusals', () => {
  it.each([
    ['serviceName=a&color=red', /unknown query parameter "color"/],
    ['traceId=abc', /unknown query parameter "traceId"/],
    ['minDuration=-1', /minDuration/],
    ['minDuration=abc', /minDuration/],
    ['maxDuration=1e999', /maxDuration/],
    ['maxDuration=x', /maxDuration/],
    ['minDuration=10&maxDuration=5', /minDuration is greater/],
    ['status=failed', /status/],
    ['status=ERROR', /status/],
    ['start=yesterday', /start/],
    ['end=12abc', /end/],
    ['start=2000&end=1000', /start is after end/],
    ['limit=0', /limit/],
    ['limit=1001', /limit/],
    ['limit=1.5', /limit/],
    ['limit=ten', /limit/],
    ['limit=-3', /limit/],
    ['limit=2&limit=abc', /"limit" is given more than once/],
    ['status=ok&status=error', /"status" is given more than once/],
  ])('?%s is a 400', async (query, message) => {
    expectError(await getJson(server.url, `/traces/query?${query}`), 400, message);
    const good = await getJson(server.url, '/traces/query');
    expect(good.status).toBe(200);
    expect(good.body.traces).toHaveLength(1);
  });
});

describe('POST /v1/traces refusals', () => {
  const countsOf = async () => (await getJson(server.url, '/stats')).body;

  it('400 for an undecodable body, and nothing of it is stored', async () => {
    const before = await countsOf();
    // The first resource is valid; the second is not: the whole request is refused.
    const good = JSON.parse(new TextDecoder().decode(otlpRequest(CART).body));
    const broken = JSON.stringify({ resourceSpans: [...good.resourceSpans, { scopeSpans: 7 }] });
    const json = await postOtlp(broken, { 'content-type': 'application/json' });
    expect(json.status).toBe(400);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    // A google.rpc.Status in the proto3 JSON mapping: no other field.
    expect(await json.json()).toEqual({ code: 3, message: expect.stringMatching(/scopeSpans/) });

    const protobuf = await postOtlp(new Uint8Array([0x0a, 0xff, 0xff, 0x01, 0x02]), {
      'content-type': 'application/x-protobuf',
    });
    expect(protobuf.status).toBe(400);
    expect(protobuf.headers.get('content-type')).toBe('application/x-protobuf');
    const status = await rpcStatusOf(protobuf);
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/protobuf/);

    const gzipGarbage = await postOtlp(new Uint8Array([0x1f, 0x8b, 1, 2, 3]), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(gzipGarbage.status).toBe(400);
    await gzipGarbage.text();

    expect((await getJson(server.url, `/traces/${CART_TRACE_ID}`)).status).toBe(404);
    const after = await countsOf();
    expect(after.totalTraces).toBe(before.totalTraces);
    expect(after.ingest.spansAccepted).toBe(before.ingest.spansAccepted);
    expect(after.ingest.requestsRejected).toBe(before.ingest.requestsRejected + 3);
    await stillServing();
  });

  it('415 for another content type or content encoding', async () => {
    const { body } = otlpRequest(CART);
    for (const headers of [
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/grpc' },
      { 'content-type': 'application/json', 'content-encoding': 'br' },
    ] as Record<string, string>[]) {
      const response = await postOtlp(body, headers);
      expect(response.status, JSON.stringify(headers)).toBe(415);
      expect(await response.json()).toEqual({ code: 12, message: expect.any(String) });
    }
    expect((await getJson(server.url, `/traces/${CART_TRACE_ID}`)).status).toBe(404);
    await stillServing();
  });

  it('413 for a body over the cap, before or after gzip, in the request encoding', async () => {
    const big = new Uint8Array(MAX_BODY + 1);
    const json = await postOtlp(big, { 'content-type': 'application/json' });
    expect(json.status).toBe(413);
    expect(await json.json()).toEqual({ code: 8, message: expect.stringMatching(/cap/) });
    await stillServing();

    const protobuf = await postOtlp(big, { 'content-type': 'application/x-protobuf' });
    expect(protobuf.status).toBe(413);
    expect(protobuf.headers.get('content-type')).toBe('application/x-protobuf');
    const status = await rpcStatusOf(protobuf);
    expect(status).toMatchObject({ code: 8, message: expect.stringMatching(/cap/) });
    await stillServing();

    // A small gzip body that inflates past the cap.
    const bomb = gzipSync(Buffer.alloc(MAX_BODY * 4, 0x20));
    expect(bomb.length).toBeLessThan(MAX_BODY);
    const inflated = await postOtlp(new Uint8Array(bomb), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(inflated.status).toBe(413);
    await inflated.text();
    await stillServing();
  });

  it('405 with Allow for another method, as a google.rpc.Status with the CORS headers', async () => {
    for (const [method, headers] of [
      ['GET', {}],
      ['PUT', { 'content-type': 'application/json' }],
      ['DELETE', { 'content-type': 'text/plain' }],
    ] as [string, Record<string, string>][]) {
      const response = await fetch(`${server.url}/v1/traces`, {
        method,
        headers: { ...headers, origin: 'http://localhost:3000' },
      });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('POST, OPTIONS');
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toEqual({
        code: 12,
        message: `${method} /v1/traces: use POST`,
      });
    }
    // In the request's encoding, as every error answer of the receiver.
    const response = await fetch(`${server.url}/v1/traces`, {
      method: 'PUT',
      headers: { 'content-type': 'application/protobuf' },
      body: new Uint8Array(0),
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('content-type')).toBe('application/protobuf');
    expect(await rpcStatusOf(response)).toEqual({
      code: 12,
      message: 'PUT /v1/traces: use POST',
    });
    await stillServing();
  });

  it('400 when every span of a request is invalid, and nothing of it is stored', async () => {
    const invalid = { ...CART[1]!, traceId: '0102' };
    const backwards = { ...CART[1]!, spanId: '3000000000000009', end: CART[1]!.start - 1 };
    for (const encoding of ['json', 'protobuf'] as const) {
      const before = await countsOf();
      const { body, headers } = otlpRequest([invalid, backwards], encoding);
      const response = await postOtlp(body, headers);
      expect(response.status).toBe(400);
      const bytes = new Uint8Array(await response.arrayBuffer());
      const status =
        encoding === 'json' ? JSON.parse(new TextDecoder().decode(bytes)) : decodeRpcStatus(bytes);
      expect(status).toEqual({
        code: 3,
        message: expect.stringMatching(/2 of 2 span\(s\) rejected; the first: .*"0102"/),
      });
      const after = await countsOf();
      expect(after.ingest.requestsRejected).toBe(before.ingest.requestsRejected + 1);
      expect(after.ingest.spansRejected).toBe(before.ingest.spansRejected + 2);
      expect(after.ingest.spansAccepted).toBe(before.ingest.spansAccepted);
    }
    expect((await getJson(server.url, `/traces/${CART_TRACE_ID}`)).status).toBe(404);
    await stillServing();
  });

  it('400 for a span whose link ids are not 16 and 8 bytes; an all-zero link is kept', async () => {
    const linked = (linkTraceId: string, linkSpanId: string, spanId: string) => {
      const batch = batchOf([{ ...CART[0]!, traceId: LINKED_TRACE_ID, spanId }]);
      batch.resources[0]!.scopes[0]!.spans[0]!.links = [
        { traceId: linkTraceId, spanId: linkSpanId, attributes: [] },
      ];
      return batch;
    };
    for (const [encode, contentType] of [
      [jsonBody, 'application/json'],
      [protobufBody, 'application/x-protobuf'],
    ] as const) {
      // OTLP/JSON: ids are hex of their bytes; a protobuf link's trace_id of 3 bytes is no id
      const response = await postOtlp(
        new Uint8Array(encode(linked('010101', 'ab'.repeat(8), 'a1'.repeat(8)))),
        {
          'content-type': contentType,
        },
      );
      expect(response.status, contentType).toBe(400);
      await response.arrayBuffer();
    }
    const zero = linked('0'.repeat(32), '0'.repeat(16), 'a2'.repeat(8));
    const kept = await postOtlp(new Uint8Array(jsonBody(zero)), {
      'content-type': 'application/json',
    });
    expect(kept.status).toBe(200);
    await kept.arrayBuffer();
    const { body } = await getJson(server.url, `/traces/${LINKED_TRACE_ID}`);
    expect(body.spans.map((span: { spanId: string }) => span.spanId)).toEqual(['a2'.repeat(8)]);
    await stillServing();
  });

  it('400 for a bytes value that is not base64 (protobuf JSON mapping: bytes are base64)', async () => {
    const request = jsonRequest(batchOf([{ ...CART[0]!, traceId: LINKED_TRACE_ID }])) as {
      resourceSpans: { scopeSpans: { spans: { attributes: unknown[] }[] }[] }[];
    };
    const attributes = request.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.attributes;
    const post = (bytesValue: string) => {
      attributes.length = 0;
      attributes.push({ key: 'payload', value: { bytesValue } });
      return postOtlp(JSON.stringify(request), { 'content-type': 'application/json' });
    };
    // mixed alphabets, padding where the last group is whole or of one digit, padding alone
    for (const bytesValue of ['not base64!!', 'ab+_', 'AB=', 'ABCDE===', '==', 'A']) {
      const response = await post(bytesValue);
      expect(response.status, bytesValue).toBe(400);
      expect((await response.json()).message).toMatch(/bytesValue is not base64/);
    }
    // standard and URL-safe, with and without padding: as protojson reads them
    for (const bytesValue of ['AQID', 'AQI=', 'AQI', '-_8', '+/8=', '']) {
      const response = await post(bytesValue);
      expect(response.status, bytesValue).toBe(200);
      await response.arrayBuffer();
    }
    await stillServing();
  });

  it('answers application/protobuf in application/protobuf', async () => {
    const { body } = otlpRequest(CHARGE, 'protobuf');
    const headers = { 'content-type': 'application/protobuf' };
    const ok = await postOtlp(body, headers);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/protobuf');
    expect((await ok.arrayBuffer()).byteLength).toBe(0);
    expect((await getJson(server.url, `/traces/${CHARGE_TRACE_ID}`)).status).toBe(200);
    // Refused by the body reader (over the cap), before the receiver sees it.
    const big = await postOtlp(new Uint8Array(MAX_BODY + 1), headers);
    expect(big.status).toBe(413);
    expect(big.headers.get('content-type')).toBe('application/protobuf');
    expect(await rpcStatusOf(big)).toMatchObject({ code: 8 });
    await stillServing();
  });

  it('200 with partialSuccess when some spans are invalid; the valid ones are stored', async () => {
    const invalid = { ...CART[1]!, spanId: '0'.repeat(16) };
    const backwards = { ...CART[1]!, spanId: '3000000000000009', end: CART[1]!.start - 1 };
    for (const encoding of ['json', 'protobuf'] as const) {
      const before = await countsOf();
      const { body, headers } = otlpRequest([CART[0]!, invalid, backwards], encoding);
      const response = await postOtlp(body, headers);
      expect(response.status).toBe(200);
      const bytes = new Uint8Array(await response.arrayBuffer());
      const partial =
        encoding === 'json'
          ? JSON.parse(new TextDecoder().decode(bytes)).partialSuccess
          : decodeResponse(bytes).partialSuccess;
      expect(partial).toEqual({
        rejectedSpans: '2',
        errorMessage: expect.stringMatching(/2 of 3 span\(s\) rejected/),
      });
      const after = await countsOf();
      expect(after.ingest.spansRejected).toBe(before.ingest.spansRejected + 2);
      expect(after.dropped.spansRejected).toBe(before.dropped.spansRejected + 2);
      expect(after.ingest.spansAccepted).toBe(before.ingest.spansAccepted + 1);
    }
    const { body } = await getJson(server.url, `/traces/${CART_TRACE_ID}`);
    expect(body.spans.map((s: { spanId: string }) => s.spanId)).toEqual([CART[0]!.spanId]);
    await stillServing();
  });
});

describe('the OTLP paths of other signals', () => {
  it('404 for metrics and logs, as a google.rpc.Status in the request encoding', async () => {
    for (const path of ['/v1/metrics', '/v1/logs']) {
      const response = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: new Uint8Array(0),
      });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/x-protobuf');
      expect(await rpcStatusOf(response)).toEqual({
        code: 12,
        message: `${path}: this collector receives traces only (/v1/traces)`,
      });
    }
    await stillServing();
  });
});

describe('CORS on the receiver', () => {
  it('allows the request headers a preflight asks for (an exporter configured with authorization)', async () => {
    const preflight = await request(server.url, '/v1/traces', {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization,x-honeycomb-team',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toBe(
      'content-type,authorization,x-honeycomb-team',
    );
    expect(preflight.headers.get('vary')).toBe('Access-Control-Request-Headers');
  });

  it('answers the preflight, and the POST carries the origin header', async () => {
    const preflight = await request(server.url, '/v1/traces', {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/content-type/);

    const { body, headers } = otlpRequest(CART);
    const post = await fetch(`${server.url}/v1/traces`, {
      method: 'POST',
      headers: { ...headers, origin: 'http://localhost:3000' },
      body,
    });
    expect(post.status).toBe(200);
    expect(post.headers.get('access-control-allow-origin')).toBe('*');
    await post.text();
  });
});

const UI_PAGE = fileURLToPath(new URL('../../dist/ui/index.html', import.meta.url));

describe('the waterfall view', () => {
  it('serves its page and assets at /', async () => {
    // The test command builds before it tests; a missing build is a failure, not a skip.
    expect(existsSync(UI_PAGE), `${UI_PAGE} is missing: run npm run build`).toBe(true);
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toMatch(/<html/i);
    const script = await fetch(`${server.url}/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    await script.text();
  });
});
