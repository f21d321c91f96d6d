import { describe, expect, it } from 'vitest';
import { originalScheme, originOf, serverHost, splitHost } from './server-host';

const host = (headers: Record<string, string>) => serverHost(new Headers(headers));
const scheme = (headers: Record<string, string>) => {
  const h = new Headers(headers);
  return originalScheme(h, h.get('forwarded'));
};

describe('serverHost (HTTP semantic conventions, setting server.address and server.port)', () => {
  it('reads Host, with or without a port', () => {
    expect(host({ host: 'shop.example:8443' })).toEqual({ hostname: 'shop.example', port: '8443' });
    expect(host({ host: 'Shop.Example' })).toEqual({ hostname: 'shop.example', port: '' });
    expect(host({ host: '[::1]:3000' })).toEqual({ hostname: '[::1]', port: '3000' });
    expect(host({ host: '[2001:db8::7]' })).toEqual({ hostname: '[2001:db8::7]', port: '' });
  });

  it("prefers the original host a reverse proxy passed on: Forwarded's, then X-Forwarded-Host", () => {
    const headers = {
      host: 'internal:3000',
      'x-forwarded-host': 'xfh.example',
      forwarded: 'for=192.0.2.60;proto=https;host="public.example:443", for=10.0.0.1;host=hop',
    };
    expect(host(headers)).toEqual({ hostname: 'public.example', port: '443' });
    const { forwarded: _, ...withoutForwarded } = headers;
    expect(host(withoutForwarded)).toEqual({ hostname: 'xfh.example', port: '' });
    expect(host({ 'x-forwarded-host': 'a.example:8080, b.example', host: 'internal' })).toEqual({
      hostname: 'a.example',
      port: '8080',
    });
    // a Forwarded header without a host parameter leaves the choice to the next header
    expect(host({ forwarded: 'for=192.0.2.60', host: 'h.example' })).toEqual({
      hostname: 'h.example',
      port: '',
    });
  });

  it("takes the first element's host that is usable, then falls back past a bad Forwarded host", () => {
    expect(host({ forwarded: 'for=1.2.3.4, for=5.6.7.8;host=second.example' })).toEqual({
      hostname: 'second.example',
      port: '',
    });
    for (const forwarded of ['host=a:b:c', 'host=""', 'host="a b"']) {
      expect(
        host({ forwarded, 'x-forwarded-host': 'xfh.example', host: 'h.example' }),
        forwarded,
      ).toEqual({ hostname: 'xfh.example', port: '' });
    }
  });

  it('skips a malformed value for the next source, and gives undefined when none is usable', () => {
    expect(host({ 'x-forwarded-host': 'a:b:c', host: 'ok.example' })).toEqual({
      hostname: 'ok.example',
      port: '',
    });
    for (const bad of [
      '',
      ':80',
      'h:port',
      'h:123456',
      'h:70000',
      '[::1',
      '[::1]x',
      '::1',
      'a b',
      'a/b',
      'user@h',
      'h?x',
      '[a b]',
      'x'.repeat(256),
    ]) {
      expect(host({ host: bad }), bad).toBeUndefined();
    }
    expect(host({})).toBeUndefined();
  });
});

describe('originalScheme (HTTP semantic conventions, url.scheme: "the scheme of the original client request")', () => {
  it("takes Forwarded's proto, then X-Forwarded-Proto, lowercase", () => {
    expect(
      scheme({ forwarded: 'for=192.0.2.60;proto=HTTPS;host=a', 'x-forwarded-proto': 'http' }),
    ).toBe('https');
    expect(scheme({ forwarded: 'for=192.0.2.60', 'x-forwarded-proto': 'https, http' })).toBe(
      'https',
    );
    expect(scheme({ forwarded: 'proto="https"' })).toBe('https');
  });

  it('gives undefined when neither names a usable scheme, so the URL’s applies', () => {
    expect(scheme({})).toBeUndefined();
    expect(scheme({ 'x-forwarded-proto': '' })).toBeUndefined();
    expect(scheme({ 'x-forwarded-proto': 'ht tp' })).toBeUndefined();
    expect(scheme({ forwarded: 'proto=1http', 'x-forwarded-proto': '-' })).toBeUndefined();
    // a scheme no request to an HTTP server is made with
    expect(scheme({ 'x-forwarded-proto': 'javascript' })).toBeUndefined();
    expect(scheme({ forwarded: 'proto=ftp', 'x-forwarded-proto': 'wss' })).toBeUndefined();
  });
});

describe('originOf: the origin a request header names, compared with URL.origin', () => {
  it.each([
    ['http', 'app:80'],
    ['https', 'shop.example:443'],
    ['http', 'app.internal:080'],
    ['https', 'shop.example:8443'],
    ['http', '[::1]:80'],
    ['http', '[::1]:3000'],
    ['https', 'shop.example:80'],
    ['http', 'Shop.Example'],
    ['http', '127.0.0.1:00443'],
    // an address written another way
    ['http', '127.1:3000'],
    ['http', '0x7f.0.0.1'],
    ['http', '[0:0:0:0:0:0:0:1]:3000'],
    ['https', '[::ffff:1.2.3.4]'],
    ['http', 'cafe.bad'],
    ['http', '10.0.0.5:3000'],
    ['http', '010.0.0.5'],
  ])('%s with Host %s writes what URL.origin does', (scheme, header) => {
    const host = splitHost(header)!;
    expect(originOf(scheme, host)).toBe(new URL(`${scheme}://${header}`).origin);
  });
});
