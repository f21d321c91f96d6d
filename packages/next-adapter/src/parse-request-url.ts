/** The parts of a request's URL its server span records. */
export interface RequestUrl {
  /** `http://host:port`, as `URL.origin`. */
  readonly origin: string;
  /** `http` or `https`. */
  readonly scheme: string;
  /** As `URL.hostname` (IPv6 in brackets). */
  readonly hostname: string;
  /** As `URL.port`: empty for the scheme's default port. */
  readonly port: string;
  /** As `URL.pathname`. */
  readonly path: string;
  /** As `URL.search` without its `?`: empty when there is none. */
  readonly query: string;
}

/**
 * The URL of a request, read from `request.url` without `new URL()`: a `Request`'s URL is already
 * parsed and serialized (lowercase scheme and host, default port dropped, path percent-encoded,
 * no credentials), so splitting the string gives what `URL` would (a property test checks it).
 * `new URL()` was ~3 µs of the ~30 µs a wrapped request added in bench/src/next.bench.mjs
 * (Node 20); the split is a few substrings. Schemes other than http(s) go through `URL`.
 * Undefined when unparsable.
 */
export function parseRequestUrl(href: string): RequestUrl | undefined {
  const scheme = href.startsWith('https://') ? 'https' : href.startsWith('http://') ? 'http' : '';
  if (scheme === '') return parseWithUrl(href);
  const authorityStart = scheme.length + 3;
  let authorityEnd = href.length;
  // The host ends at '/', '?' or '#' (a Request's URL carries no credentials, and its
  // serialization writes no backslash).
  for (let i = authorityStart; i < href.length; i++) {
    const c = href.charCodeAt(i);
    if (c === 0x2f || c === 0x3f || c === 0x23) {
      authorityEnd = i;
      break;
    }
  }
  const host = href.slice(authorityStart, authorityEnd);
  const colon = host.lastIndexOf(':');
  const hasPort = colon !== -1 && host.indexOf(']', colon) === -1;
  const hostname = hasPort ? host.slice(0, colon) : host;
  if (hostname === '') return parseWithUrl(href);
  const hash = href.indexOf('#', authorityEnd);
  const end = hash === -1 ? href.length : hash;
  const question = href.indexOf('?', authorityEnd);
  const pathEnd = question === -1 || question > end ? end : question;
  return {
    origin: href.slice(0, authorityEnd),
    scheme,
    hostname,
    port: hasPort ? host.slice(colon + 1) : '',
    path: pathEnd === authorityEnd ? '/' : href.slice(authorityEnd, pathEnd),
    query: pathEnd === end ? '' : href.slice(pathEnd + 1, end),
  };
}

function parseWithUrl(href: string): RequestUrl | undefined {
  try {
    const url = new URL(href);
    return {
      origin: url.origin,
      scheme: url.protocol.slice(0, -1),
      hostname: url.hostname,
      port: url.port,
      path: url.pathname,
      query: url.search.slice(1),
    };
  } catch {
    return undefined;
  }
}
