import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRequestUrl, type RequestUrl } from './parse-request-url';

function byUrl(href: string): RequestUrl {
  const url = new URL(href);
  return {
    origin: url.origin,
    scheme: url.protocol.slice(0, -1),
    hostname: url.hostname,
    port: url.port,
    path: url.pathname,
    query: url.search.slice(1),
  };
}

describe('parseRequestUrl', () => {
  it.each([
    'http://localhost:3000/api/items?id=7',
    'https://shop.example.com/',
    'https://shop.example.com',
    'http://app.test:3000/a/b/?',
    'http://app.test:3000/a?b=1#frag',
    'http://app.test/a#frag?not-query',
    'http://[::1]:3000/x',
    'http://[::1]/x?y',
    'http://127.0.0.1:8080/%E2%82%AC?q=%20',
    'HTTP://Example.COM:80/A/../b',
    'ftp://example.com/file',
  ])('reads %s as URL does', (href) => {
    expect(parseRequestUrl(href)).toEqual(byUrl(href));
  });

  it('reads a Request’s URL as URL does', () => {
    const host = fc.oneof(
      fc.domain(),
      fc.ipV4(),
      fc.ipV6().map((ip) => `[${ip}]`),
    );
    const port = fc.option(
      fc.integer({ min: 0, max: 65535 }).map((p) => `:${p}`),
      {
        nil: '',
      },
    );
    const rest = fc.string({ unit: 'binary-ascii', maxLength: 30 });
    const href = fc
      .tuple(fc.constantFrom('http://', 'https://', 'HTTPS://'), host, port, rest)
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(href, (text) => {
        let request: Request;
        try {
          request = new Request(text);
        } catch {
          return; // not a URL, or credentials, which a Request refuses
        }
        expect(parseRequestUrl(request.url)).toEqual(byUrl(request.url));
      }),
      { numRuns: 300 },
    );
  });

  it('is undefined for what is not a URL', () => {
    expect(parseRequestUrl('not a url')).toBeUndefined();
    expect(parseRequestUrl('http://')).toBeUndefined();
  });
});
