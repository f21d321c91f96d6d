import type { Attributes } from '@opentelemetry/api';
import type { RequestUrl } from './parse-request-url';
import { redactQuery, redactUrlQuery } from './redact-query';
import type { ServerHost } from './server-host';

const KNOWN_METHODS = new Set([
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'QUERY',
  'TRACE',
]);

/** `http.request.method` by the semantic conventions: known methods, else `_OTHER`. */
export function normalizeMethod(method: string): string {
  // A Request's method is already uppercase for the standard ones (Fetch normalizes them).
  if (KNOWN_METHODS.has(method)) return method;
  const upper = method.toUpperCase();
  return KNOWN_METHODS.has(upper) ? upper : '_OTHER';
}

/**
 * Semantic-convention attributes of an incoming request (HTTP server span); `headers` is
 * `request.headers`, read once by the caller (each read of a `Request` getter is a brand check);
 * `host`, the host the client asked for (`serverHost`), else the URL's.
 */
export function serverRequestAttributes(
  request: Request,
  headers: Headers,
  url: RequestUrl,
  host: ServerHost,
  route: string | undefined,
  headerNames: readonly string[],
): Attributes {
  const original = request.method;
  const method = normalizeMethod(original);
  const attributes: Attributes = {
    'http.request.method': method,
    'url.path': url.path,
    'url.scheme': url.scheme,
    'server.address': host.hostname,
  };
  if (method === '_OTHER') attributes['http.request.method_original'] = original;
  // `+` rather than `Number()`: no global read (see web-classes.ts)
  if (host.port !== '') attributes['server.port'] = +host.port;
  if (url.query !== '') attributes['url.query'] = redactQuery(url.query);
  if (route !== undefined) attributes['http.route'] = route;
  const userAgent = headers.get('user-agent');
  if (userAgent !== null) attributes['user_agent.original'] = userAgent;
  for (const name of headerNames) {
    const value = headers.get(name);
    if (value !== null) attributes[`http.request.header.${name}`] = [value];
  }
  return attributes;
}

/** Semantic-convention attributes of an outgoing request (HTTP client span). */
export function clientRequestAttributes(method: string, url: URL): Attributes {
  const normalized = normalizeMethod(method);
  const attributes: Attributes = {
    'http.request.method': normalized,
    'url.full': redactUrlQuery(url.username || url.password ? withoutCredentials(url) : url.href),
    'server.address': url.hostname,
    'server.port': url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
  };
  if (normalized === '_OTHER') attributes['http.request.method_original'] = method;
  return attributes;
}

function withoutCredentials(url: URL): string {
  const copy = new URL(url.href);
  copy.username = 'REDACTED';
  copy.password = copy.password ? 'REDACTED' : '';
  return copy.href;
}
