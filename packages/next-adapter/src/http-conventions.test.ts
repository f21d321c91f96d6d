/**
 * HTTP semantic conventions (semantic-conventions docs/http/http-spans.md and the attribute
 * registry) that an audit found missing or wrong, one clause per test.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { setupTracing, type TestTracing } from '../test/setup-tracing';
import { withTracing } from './with-tracing';

let setup: TestTracing | undefined;
afterEach(async () => {
  await setup?.teardown();
  setup = undefined;
});

describe('HTTP server spans', () => {
  it('client.address is the original client a proxy names (for= of the first Forwarded element, else X-Forwarded-For), without port or brackets', async () => {
    setup = setupTracing();
    const handler = withTracing(async () => new Response('ok'));
    const cases: Array<[Record<string, string>, string | undefined]> = [
      [{ forwarded: 'for="[2001:DB8::1]:4711";proto=https, for=10.0.0.1' }, '2001:db8::1'],
      [
        // the client's element says unknown: a later element is a proxy, not the client
        { forwarded: 'for=unknown, for=198.51.100.7', 'x-forwarded-for': '203.0.113.9' },
        undefined,
      ],
      [{ forwarded: 'for=_hidden', 'x-forwarded-for': '203.0.113.9:1234, 10.0.0.1' }, undefined],
      [
        { forwarded: 'proto=https', 'x-forwarded-for': '203.0.113.9:1234, 10.0.0.1' },
        '203.0.113.9',
      ],
      [{ 'x-forwarded-for': '2001:db8::2, 10.0.0.1' }, '2001:db8::2'],
      [{ 'x-forwarded-for': 'not an address' }, undefined],
      [{ 'x-forwarded-for': 'cafe, 10.0.0.1' }, undefined],
      [{}, undefined],
    ];
    for (const [headers] of cases) {
      await handler(new Request('http://app.test/api/x', { headers }));
    }
    const spans = await setup.spans();
    expect(spans.map((s) => s.attributes['client.address'])).toEqual(cases.map(([, a]) => a));
  });

  it('server.address of an IPv6 host is the address without brackets', async () => {
    setup = setupTracing();
    const handler = withTracing(async () => new Response('ok'));
    await handler(new Request('http://[::1]:3000/api/x'));
    const [span] = await setup.spans();
    expect(span!.attributes['server.address']).toBe('::1');
    expect(span!.attributes['server.port']).toBe(3000);
  });

  it('a thrown value that is no error gets error.type _OTHER and still an exception event ("_OTHER: A fallback error value")', async () => {
    setup = setupTracing();
    for (const thrown of ['oops', 42, undefined]) {
      const handler = withTracing(() => {
        throw thrown;
      });
      await expect(handler(new Request('http://app.test/api/x'))).rejects.toBe(thrown);
    }
    const spans = await setup.spans();
    expect(spans.map((s) => s.attributes['error.type'])).toEqual(['_OTHER', '_OTHER', '_OTHER']);
    expect(spans.map((s) => s.status.code)).toEqual([
      SpanStatusCode.ERROR,
      SpanStatusCode.ERROR,
      SpanStatusCode.ERROR,
    ]);
    expect(spans.map((s) => s.events[0]?.attributes?.['exception.message'])).toEqual([
      'oops',
      '42',
      'undefined',
    ]);
  });
});

describe('HTTP client spans', () => {
  it('a method fetch normalizes (get, post) is sent, and recorded, in uppercase without http.request.method_original', async () => {
    setup = setupTracing();
    const handler = withTracing(async () => {
      await fetch('http://app.test/api/items', { method: 'get' });
      await fetch('http://app.test/api/items', { method: 'post', body: 'x' });
      return new Response('ok');
    });
    await handler(new Request('http://app.test/api/outbound'));
    const clients = (await setup.spans()).filter((s) => s.kind === SpanKind.CLIENT);
    expect(clients.map((c) => c.name)).toEqual(['GET', 'POST']);
    for (const client of clients) {
      expect(client.attributes['http.request.method_original']).toBeUndefined();
    }
    expect(setup.calls.map((c) => c.method)).toEqual(['GET', 'POST']);
  });

  it('server.address of an IPv6 destination is the address without brackets', async () => {
    setup = setupTracing();
    const handler = withTracing(async () => {
      await fetch('http://[::1]:4000/api/items');
      return new Response('ok');
    });
    await handler(new Request('http://app.test/api/outbound'));
    const [client] = (await setup.spans()).filter((s) => s.kind === SpanKind.CLIENT);
    expect(client!.attributes['server.address']).toBe('::1');
  });
});
