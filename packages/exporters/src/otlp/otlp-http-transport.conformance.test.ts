// OTLP/HTTP failure handling against the OTLP specification (opentelemetry-proto
// docs/specification.md): "Retryable Response Codes", "Bad Data", "OTLP/HTTP Throttling",
// "All Other Responses", "OTLP/HTTP Connection", "Partial Success"; and exporter.md "Retry".
import { describe, expect, it } from 'vitest';
import { fakeClock, scriptedFetch, status } from '../../test/fixtures/fake-transport';
import { resolveOtlpConfig } from './otlp-config';
import { sendOtlpRequest } from './otlp-http-transport';

const never = new AbortController().signal;

function send(script: Parameters<typeof scriptedFetch>[0], random = 0.5) {
  const clock = fakeClock(random);
  const { fetch, requests } = scriptedFetch(script);
  const config = resolveOtlpConfig({ env: {}, timeoutMillis: 60_000 });
  const result = sendOtlpRequest(
    new Uint8Array([0x0a, 0x00]),
    {},
    config,
    { ...clock.hooks, fetch },
    never,
  );
  return { result, requests, sleeps: clock.sleeps };
}

describe('"Retryable Response Codes": 429, 502, 503, 504 SHOULD be retried', () => {
  for (const code of [429, 502, 503, 504]) {
    it(`retries ${code}`, async () => {
      const { result, requests } = send([status(code), status(200)]);
      expect(await result).toEqual({ ok: true, attempts: 2 });
      expect(requests).toHaveLength(2);
    });
  }
});

describe('"All other 4xx or 5xx response status codes MUST NOT be retried"', () => {
  for (const code of [400, 401, 403, 404, 408, 413, 500, 501, 505]) {
    it(`does not retry ${code}`, async () => {
      const { result, requests, sleeps } = send([status(code), status(200)]);
      expect(await result).toMatchObject({ ok: false, attempts: 1, kind: 'http-status' });
      expect(requests).toHaveLength(1);
      expect(sleeps).toEqual([]);
    });
  }
});

// "All other HTTP responses that are not explicitly listed in this document should be treated
// according to HTTP specifications", and success is a 200 with an Export response: a redirect's
// target is not the configured endpoint (fetch would follow 301-303 with a GET without the spans),
// so it is a failure that no retry would change, as in the reference exporter.
describe('"All Other Responses": a redirect is not followed, and not retried', () => {
  for (const code of [300, 301, 302, 303, 304, 307, 308]) {
    it(`fails on ${code}`, async () => {
      const { result, requests, sleeps } = send([status(code, { Location: '/x' }), status(200)]);
      expect(await result).toMatchObject({ ok: false, attempts: 1, kind: 'redirect' });
      expect(requests).toHaveLength(1);
      expect(sleeps).toEqual([]);
    });
  }
});

describe('"OTLP/HTTP Throttling": the client SHOULD honour Retry-After', () => {
  it('waits the delay-seconds it gives, instead of the computed backoff', async () => {
    const { result, sleeps } = send([status(503, { 'Retry-After': '7' }), status(200)]);
    expect(await result).toEqual({ ok: true, attempts: 2 });
    expect(sleeps).toEqual([7000]);
  });

  it('waits until the HTTP date it gives', async () => {
    const at = new Date(Date.now() + 4000).toUTCString();
    const { result, sleeps } = send([status(429, { 'Retry-After': at }), status(200)]);
    expect(await result).toEqual({ ok: true, attempts: 2 });
    expect(sleeps[0]).toBeGreaterThan(2000);
    expect(sleeps[0]).toBeLessThanOrEqual(4000);
  });

  it('without Retry-After, backs off exponentially with jitter (exporter.md "Retry")', async () => {
    const low = send([status(503), status(503), status(503), status(200)], 0);
    const high = send([status(503), status(503), status(503), status(200)], 0.999);
    await Promise.all([low.result, high.result]);
    // Each delay grows from the previous one; jitter spreads the same step over a range.
    expect(low.sleeps).toHaveLength(3);
    expect(low.sleeps[1]!).toBeGreaterThan(low.sleeps[0]!);
    expect(low.sleeps[2]!).toBeGreaterThan(low.sleeps[1]!);
    for (let i = 0; i < 3; i++) expect(high.sleeps[i]!).toBeGreaterThan(low.sleeps[i]!);
  });

  // RFC 9110 §10.2.3: Retry-After = HTTP-date / delay-seconds, delay-seconds = 1*DIGIT; an
  // HTTP-date is one of the three forms of §5.6.7 (a bare "Mon 5" would otherwise read as a date in
  // 2001, retried at once, and "Fri 99999" as one in the year 99999, the batch dropped at once)
  it.each(['soon', '-5', '+5', '5 seconds', 'Mon 5', 'Fri 99999', 'Sun, 06 Nov 1994'])(
    'an unreadable Retry-After (%s) falls back to the computed backoff',
    async (value) => {
      const { result, sleeps } = send([status(429, { 'Retry-After': value }), status(200)]);
      expect(await result).toEqual({ ok: true, attempts: 2 });
      expect(sleeps).toEqual([1000]);
    },
  );
});

describe('"OTLP/HTTP Connection" / "All Other Responses": no response is retried with backoff', () => {
  it('retries a network error', async () => {
    const { result, sleeps } = send([new TypeError('fetch failed'), status(200)]);
    expect(await result).toEqual({ ok: true, attempts: 2 });
    expect(sleeps).toEqual([1000]);
  });
});

describe('"Partial Success": the client MUST NOT retry', () => {
  it('reports the rejected count and sends once', async () => {
    const body = JSON.stringify({
      partialSuccess: { rejectedSpans: '2', errorMessage: 'too big' },
    });
    const response = new Response(body, {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
    const { result, requests } = send([response]);
    expect(await result).toEqual({
      ok: true,
      attempts: 1,
      partialSuccess: { rejectedSpans: 2, errorMessage: 'too big' },
    });
    expect(requests).toHaveLength(1);
  });

  it('a warning with rejected 0 and a message is passed on, still a success', async () => {
    // ExportTraceServiceResponse { partial_success (1) { error_message (2): "hi" } }
    const bytes = new Uint8Array([0x0a, 0x04, 0x12, 0x02, 0x68, 0x69]);
    const response = new Response(bytes, {
      status: 200,
      headers: { 'content-type': 'application/x-protobuf' },
    });
    const { result } = send([response]);
    expect(await result).toEqual({
      ok: true,
      attempts: 1,
      partialSuccess: { rejectedSpans: 0, errorMessage: 'hi' },
    });
  });
});
