import { type Context, context, ROOT_CONTEXT } from '@opentelemetry/api';
import { isTracingSuppressed } from '@spanlite/core';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeClock, scriptedFetch, status } from '../../test/fixtures/fake-transport';
import { resolveOtlpConfig } from './otlp-config';
import { defaultTransportHooks, sendOtlpRequest } from './otlp-http-transport';
import { backoffDelay, DEFAULT_RETRY_POLICY } from './retry-policy';

const body = new Uint8Array([1, 2, 3]);
const never = new AbortController().signal;

function setup(script: Parameters<typeof scriptedFetch>[0], options = {}) {
  const clock = fakeClock();
  const { fetch, requests } = scriptedFetch(script, () => context.active());
  const config = resolveOtlpConfig({ env: {}, ...options });
  const send = () => sendOtlpRequest(body, { a: 'b' }, config, { ...clock.hooks, fetch }, never);
  return { clock, requests, send };
}

describe('sendOtlpRequest retries', () => {
  it('uses OTel defaults: 1 s initial, ×1.5, 5 attempts, within the 10 s timeout', async () => {
    const { clock, requests, send } = setup([status(503)]);
    const result = await send();
    expect(result).toMatchObject({ ok: false, attempts: 5, kind: 'retries-exhausted' });
    expect(requests).toHaveLength(5);
    expect(clock.sleeps).toEqual([1000, 1500, 2250, 3375]);
  });

  it('caps the backoff at 5 s and jitters by ±20 %', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({
      maxAttempts: 5,
      initialBackoffMillis: 1000,
      maxBackoffMillis: 5000,
      backoffMultiplier: 1.5,
      jitter: 0.2,
    });
    expect(backoffDelay(5, DEFAULT_RETRY_POLICY, () => 0.5)).toBe(5000);
    expect(backoffDelay(9, DEFAULT_RETRY_POLICY, () => 0.5)).toBe(5000);
    expect(backoffDelay(1, DEFAULT_RETRY_POLICY, () => 0)).toBe(800);
    expect(backoffDelay(1, DEFAULT_RETRY_POLICY, () => 0.999999)).toBeCloseTo(1200, 2);
  });

  it('retries 429, 502, 503, 504 and network errors, then succeeds', async () => {
    const { clock, requests, send } = setup([
      status(429),
      status(502),
      new TypeError('fetch failed'),
      status(504),
      status(200),
    ]);
    const result = await send();
    expect(result).toEqual({ ok: true, attempts: 5 });
    expect(requests).toHaveLength(5);
    expect(clock.sleeps).toHaveLength(4);
  });

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    const date = new Date(Date.now() + 3000).toUTCString();
    const { clock, send } = setup([
      status(429, { 'Retry-After': '2' }),
      status(503, { 'Retry-After': date }),
      status(200),
    ]);
    expect(await send()).toEqual({ ok: true, attempts: 3 });
    expect(clock.sleeps[0]).toBe(2000);
    expect(clock.sleeps[1]).toBeGreaterThan(1000);
    expect(clock.sleeps[1]).toBeLessThanOrEqual(3000);
  });

  it('gives up instead of waiting past the export timeout', async () => {
    const retryAfter = setup([status(429, { 'Retry-After': '30' }), status(200)]);
    expect(await retryAfter.send()).toMatchObject({ ok: false, kind: 'timeout', attempts: 1 });
    expect(retryAfter.clock.sleeps).toEqual([]);

    const backoff = setup([status(503)], { timeoutMillis: 2000 });
    expect(await backoff.send()).toMatchObject({ ok: false, kind: 'timeout', attempts: 2 });
    expect(backoff.clock.sleeps).toEqual([1000]);
  });

  it.each([400, 401, 403, 404, 413, 500])('does not retry HTTP %s', async (code) => {
    const { clock, requests, send } = setup([status(code), status(200)]);
    expect(await send()).toMatchObject({ ok: false, kind: 'http-status', attempts: 1 });
    expect(requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('stops at once when aborted (shutdown)', async () => {
    const controller = new AbortController();
    controller.abort();
    const { fetch, requests } = scriptedFetch([status(200)]);
    const config = resolveOtlpConfig({ env: {} });
    const result = await sendOtlpRequest(
      body,
      {},
      config,
      { ...fakeClock().hooks, fetch },
      controller.signal,
    );
    expect(result).toMatchObject({ ok: false, kind: 'aborted' });
    expect(requests).toHaveLength(0);
  });
});

// Without the deadline these calls never settle, and the test fails on vitest's timeout: no
// elapsed time is asserted (a shared machine makes any bound on it flaky).
describe('sendOtlpRequest deadline', () => {
  it('holds even with a fetch option that ignores the abort signal', async () => {
    const config = resolveOtlpConfig({ env: {}, timeoutMillis: 50 });
    const hooks = { ...defaultTransportHooks(() => new Promise<Response>(() => {})) };
    const result = await sendOtlpRequest(body, {}, config, hooks, never);
    expect(result).toMatchObject({ ok: false, kind: 'timeout', attempts: 1 });
  });

  it('cancels the body of a response that arrives after the deadline', async () => {
    const config = resolveOtlpConfig({ env: {}, timeoutMillis: 50 });
    let late!: (response: Response) => void;
    const hooks = defaultTransportHooks(() => new Promise<Response>((resolve) => (late = resolve)));
    const result = await sendOtlpRequest(body, {}, config, hooks, never);
    expect(result).toMatchObject({ ok: false, kind: 'timeout', attempts: 1 });
    let cancelled!: () => void;
    const cancel = new Promise<void>((resolve) => (cancelled = resolve));
    late(new Response(new ReadableStream({ cancel: () => cancelled() }), { status: 200 }));
    await cancel;
  });

  it('holds for a body that never ends: a 2xx is delivered, an error status ends at the deadline', async () => {
    const stalled = (status: number) => () =>
      Promise.resolve(
        new Response(new ReadableStream({ pull: () => new Promise(() => {}) }), { status }),
      );
    const config = resolveOtlpConfig({ env: {}, timeoutMillis: 150 });
    const ok = await sendOtlpRequest(body, {}, config, defaultTransportHooks(stalled(200)), never);
    expect(ok).toEqual({ ok: true, attempts: 1 });
    const failing = await sendOtlpRequest(
      body,
      {},
      config,
      defaultTransportHooks(stalled(503)),
      never,
    );
    expect(failing).toMatchObject({ ok: false });
  });
});

describe('sendOtlpRequest messages', () => {
  it('name the endpoint without its query, where a token may have been put', async () => {
    const url = 'https://otlp.example/v1/traces?api-key=s3cret';
    const { send, requests } = setup([status(400)], { url });
    const failed = await send();
    expect(requests[0]!.url).toBe(url);
    expect(failed).toMatchObject({ ok: false, kind: 'http-status' });
    const message = (failed as { message: string }).message;
    expect(message).toContain('https://otlp.example/v1/traces?…');
    expect(message).not.toContain('s3cret');
  });
});

describe('sendOtlpRequest redirects', () => {
  it('name the status and where it leads, resolved, without credentials, query or fragment', async () => {
    const url = 'https://otlp.example/v1/traces?api-key=s3cret';
    const location = 'https://user:pa55@otlp.example:8443/v1/traces?api-key=s3cret#f';
    const absolute = setup([status(308, { Location: location })], { url });
    expect(await absolute.send()).toEqual({
      ok: false,
      attempts: 1,
      kind: 'redirect',
      message:
        'https://otlp.example/v1/traces?… answered HTTP 308 to https://otlp.example:8443/v1/traces?…; redirects are not followed',
    });
    const relative = setup([status(301, { Location: '/otlp/v1/traces' })], { url });
    expect(await relative.send()).toMatchObject({
      message:
        'https://otlp.example/v1/traces?… answered HTTP 301 to https://otlp.example/otlp/v1/traces; redirects are not followed',
    });
  });

  it('without a Location, or with one that is no URL, say so', async () => {
    const url = 'http://otlp.example/v1/traces';
    const none = setup([status(300)], { url });
    expect(await none.send()).toMatchObject({
      kind: 'redirect',
      message: 'http://otlp.example/v1/traces answered HTTP 300; redirects are not followed',
    });
    const broken = setup([status(302, { Location: 'http://[::1' })], { url });
    expect(await broken.send()).toMatchObject({
      kind: 'redirect',
      message:
        'http://otlp.example/v1/traces answered HTTP 302 to an unreadable Location; redirects are not followed',
    });
  });

  it("a browser's opaque redirect (status 0, its headers hidden) fails as a redirect", async () => {
    const opaque = () =>
      ({
        type: 'opaqueredirect',
        ok: false,
        status: 0,
        statusText: '',
        headers: new Headers(),
        redirected: false,
        body: null,
        arrayBuffer: async () => new ArrayBuffer(0),
      }) as unknown as Response;
    const { requests, send } = setup([opaque, status(200)]);
    expect(await send()).toEqual({
      ok: false,
      attempts: 1,
      kind: 'redirect',
      message: 'http://localhost:4318/v1/traces answered a redirect; redirects are not followed',
    });
    expect(requests).toHaveLength(1);
  });
});

describe('sendOtlpRequest request', () => {
  afterEach(() => {
    context.disable();
  });

  it('POSTs the body with the headers, marked internal for Next.js, with tracing suppressed', async () => {
    // A synchronous context manager: enough to observe the context fetch is called in.
    let active: Context = ROOT_CONTEXT;
    context.setGlobalContextManager({
      active: () => active,
      with(ctx, fn, thisArg, ...args) {
        const previous = active;
        active = ctx;
        try {
          return fn.apply(thisArg, args);
        } finally {
          active = previous;
        }
      },
      bind: (_ctx, target) => target,
      enable() {
        return this;
      },
      disable() {
        return this;
      },
    });
    const { requests, send } = setup([status(200)]);
    await send();
    const [request] = requests;
    expect(request!.url).toBe('http://localhost:4318/v1/traces');
    expect(request!.init.method).toBe('POST');
    expect(request!.init.headers).toEqual({ a: 'b' });
    expect(request!.body).toEqual(body);
    expect(request!.init.next).toEqual({ internal: true });
    expect(request!.init.redirect).toBe('manual');
    expect(isTracingSuppressed(request!.activeContext)).toBe(true);
    expect(isTracingSuppressed(context.active())).toBe(false);
  });
});
