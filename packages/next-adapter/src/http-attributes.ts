import type { Attributes } from '@opentelemetry/api';
import type { RequestUrl } from './parse-request-url';
import { redactQuery, redactUrlQuery } from './redact-query';
import type { ServerHost } from './server-host';

/** The methods the HTTP conventions know: RFC 9110's, PATCH (RFC 5789) and QUERY. */
export const KNOWN_METHODS: ReadonlySet<string> = new Set([
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

/**
 * `OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS`: a comma-separated list that replaces the known
 * methods (the HTTP conventions' override, a full list rather than an addition); undefined when
 * unset or empty.
 */
export function knownMethodsFromEnv(value: string | undefined): ReadonlySet<string> | undefined {
  const methods = (value ?? '')
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '');
  return methods.length === 0 ? undefined : new Set(methods);
}

/**
 * `http.request.method` by the semantic conventions: a known method (a lowercase one as its
 * canonical uppercase), else `_OTHER`.
 */
export function normalizeMethod(method: string, known: ReadonlySet<string>): string {
  // A Request's method is already uppercase for the standard ones (Fetch normalizes them).
  if (known.has(method)) return method;
  const upper = method.toUpperCase();
  return known.has(upper) ? upper : '_OTHER';
}

/** A span name's method part: `HTTP` stands for a method the conventions call `_OTHER`. */
export function methodForName(method: string): string {
  return method === '_OTHER' ? 'HTTP' : method;
}

/**
 * Semantic-convention attributes of an incoming request (HTTP server span); `headers` is
 * `request.headers`, read once by the caller (each read of a `Request` getter is a brand check);
 * `scheme` and `host`, the scheme and host the client asked for (`originalScheme`, `serverHost`),
 * else the URL's; `client`, the client's address a proxy passed on (`clientAddress`).
 */
export function serverRequestAttributes(
  request: Request,
  headers: Headers,
  url: RequestUrl,
  scheme: string,
  host: ServerHost,
  route: string | undefined,
  headerNames: readonly string[],
  known: ReadonlySet<string>,
  client: string | undefined,
): Attributes {
  const original = request.method;
  const method = normalizeMethod(original, known);
  const attributes: Attributes = {
    'http.request.method': method,
    'url.path': url.path,
    'url.scheme': scheme,
    'server.address': addressOf(host.hostname),
  };
  if (client !== undefined) attributes['client.address'] = client;
  if (method !== original) attributes['http.request.method_original'] = original;
  // a host named without a port is on its scheme's default one, which the conventions still want
  // recorded ("If available and server.address is set"), as the client span records it
  const port = portOf(host.port, scheme);
  if (port !== 0) attributes['server.port'] = port;
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

/** `server.address`: a host name, or an IP address as it is written, IPv6 without brackets. */
function addressOf(hostname: string): string {
  return hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
}

/**
 * A URL's or host header's port as a number, else its scheme's default (80, 443), else 0. `+`
 * rather than `Number()`: no global read (see web-classes.ts).
 */
function portOf(port: string, scheme: string): number {
  return port !== '' ? +port : scheme === 'https' ? 443 : scheme === 'http' ? 80 : 0;
}

/** Semantic-convention attributes of an outgoing request (HTTP client span). */
export function clientRequestAttributes(
  method: string,
  url: URL,
  known: ReadonlySet<string>,
): Attributes {
  const normalized = normalizeMethod(method, known);
  const attributes: Attributes = {
    'http.request.method': normalized,
    'url.full': redactUrlQuery(url.username || url.password ? withoutCredentials(url) : url.href),
    'server.address': addressOf(url.hostname),
    'server.port': portOf(url.port, url.protocol.slice(0, -1)),
  };
  if (normalized !== method) attributes['http.request.method_original'] = method;
  return attributes;
}

function withoutCredentials(url: URL): string {
  const copy = new URL(url.href);
  copy.username = 'REDACTED';
  copy.password = copy.password ? 'REDACTED' : '';
  return copy.href;
}
