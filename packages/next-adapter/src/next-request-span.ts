import type { Span } from '@opentelemetry/api';
import type { FinishedSpan } from '@spanlite/core';
import { appRouteOfFile, routeMatchesPath } from './app-route-of-file';
import { underBasePath } from './base-path';
import { redactUrlQuery } from './redact-query';

/** The method and route a wrapper named a request span with (`route`: its option). */
export interface RoutePin {
  readonly method: string;
  readonly route: string | undefined;
}

/**
 * Tidies a request span as it ends, after Next.js's own last changes to it:
 * - signed-URL secrets in `http.target` (the path and query as received) and `next.span_name` (the
 *   name Next.js gave, which may hold them) are redacted;
 * - and, for Next.js's spans (`renames`):
 *   - `url.path` regains the `basePath` (or locale) that Next.js takes off the URL it hands a
 *     route handler, as `http.target` (the path as received) shows it; a route Next.js writes
 *     gets the app's `basePath` (`basePath`) in front, as the wrapper's has it already, on the
 *     spans of pages and other code no wrapper handles too;
 *   - where Next.js wrote another route (and `next.route`) once the handler had returned, the
 *     `route` option of the wrapper that enriched the span (`pin`) is put back; without one, a
 *     route Next.js 14 and 15 wrote from the route file (`/api/items/route`) gives way to the
 *     route of the file's path; the name follows (`GET /api/items`);
 *   - a span Next.js named by its URL for want of a route (14 and 15 name the outer request span
 *     `GET /api/chain?fail=1` when middleware matches, `RSC GET /x?_rsc=…` for a navigation; the
 *     URL may have lost a basePath or locale that `http.target` keeps) is named by the method
 *     alone, as Next.js 16 names it and the HTTP conventions ask when no low-cardinality route is
 *     known; any other name of such a span has its signed-URL secrets redacted.
 */
export function settleRequestSpan(
  span: Span & FinishedSpan,
  pin: RoutePin | undefined,
  renames: boolean,
  basePath: string,
): void {
  const attributes = span.attributes;
  const target = attributes['http.target'];
  redactAttribute(span, 'http.target', target);
  redactAttribute(span, 'next.span_name', attributes['next.span_name']);
  if (!renames) return;
  if (pin !== undefined) restoreBasePath(span, target, attributes['url.path']);
  const written = attributes['http.route'];
  if (written !== undefined) {
    if (typeof written !== 'string') return;
    if (written === pin?.route) {
      // the wrapper's name, where Next.js named the span by the method alone at its end (it does
      // under NEXT_OTEL_VERBOSE=1, where the span is no root of Next.js's and it finds no route)
      const prefix = rscPrefix(span.name);
      if (span.name === `${prefix}${pin.method}`)
        span.updateName(`${prefix}${pin.method} ${written}`);
      return;
    }
    // not Next.js's end-of-request rename (which writes next.route too): the app's own, kept
    if (attributes['next.route'] !== written) return;
    if (pin === undefined) {
      settleUnwrappedRoute(span, written, basePath);
      return;
    }
    // the wrapper's route (under the basePath already), else Next.js's, which has no basePath:
    // the HTTP conventions' http.route "SHOULD include the application root if there is one"
    const route =
      pin.route ??
      underBasePath(basePath, routeOfFilePath(written, attributes['url.path']) ?? written);
    if (route === written) return;
    span.setAttribute('http.route', route);
    span.updateName(`${rscPrefix(span.name)}${pin.method} ${route}`);
    return;
  }
  const method = attributes['http.method'];
  const prefix = rscPrefix(span.name);
  const named = `${prefix}${method} `;
  if (
    typeof method === 'string' &&
    typeof target === 'string' &&
    span.name.startsWith(named) &&
    target.endsWith(span.name.slice(named.length))
  ) {
    span.updateName(`${prefix}${pin?.method ?? method}`);
    return;
  }
  const name = redactUrlQuery(span.name);
  if (name !== span.name) span.updateName(name);
}

/**
 * The route Next.js wrote on a request span no wrapper handled (a page, a Pages API route), under
 * the `basePath`; the name follows where it is Next.js's `{method} {route}`.
 */
function settleUnwrappedRoute(span: Span & FinishedSpan, written: string, basePath: string): void {
  const route = underBasePath(basePath, written);
  if (route === written) return;
  span.setAttribute('http.route', route);
  const method = span.attributes['http.method'];
  const prefix = rscPrefix(span.name);
  if (typeof method === 'string' && span.name === `${prefix}${method} ${written}`) {
    span.updateName(`${prefix}${method} ${route}`);
  }
}

function rscPrefix(name: string): string {
  return name.startsWith('RSC ') ? 'RSC ' : '';
}

/**
 * The route of the route file path Next.js 14 and 15 write (`/api/items/route`, `\api\items\route`
 * on Windows), unless `written` is already the route of the request's path (Next.js 16's
 * `/api/route` for app/api/route/route.ts).
 */
function routeOfFilePath(written: string, path: unknown): string | undefined {
  const file = written.replaceAll('\\', '/');
  if (!file.endsWith('/route')) return undefined;
  if (typeof path === 'string' && routeMatchesPath(file, path)) return undefined;
  return appRouteOfFile(file);
}

function redactAttribute(span: Span, key: string, value: unknown): void {
  if (typeof value !== 'string') return;
  const redacted = redactUrlQuery(value);
  if (redacted !== value) span.setAttribute(key, redacted);
}

function restoreBasePath(span: Span, target: unknown, path: unknown): void {
  if (typeof target !== 'string' || typeof path !== 'string' || target[0] !== '/') return;
  const query = target.indexOf('?');
  const received = query === -1 ? target : target.slice(0, query);
  if (received.length > path.length && (path === '/' || received.endsWith(path))) {
    span.setAttribute('url.path', received);
  }
}
