import type { Span } from '@opentelemetry/api';
import type { FinishedSpan } from '@spanlite/core';
import { appRouteOfFile } from './app-route-of-file';
import { redactUrlQuery } from './redact-query';

/** The method and route a wrapper named Next.js's request span with (`route`: its option). */
export interface RoutePin {
  readonly method: string;
  readonly route: string | undefined;
}

/**
 * Tidies Next.js's request span `span` as it ends, after Next.js's own last changes to it:
 * - signed-URL secrets in `http.target` (the path and query as received) and `next.span_name` (the
 *   name Next.js gave, which may hold them) are redacted;
 * - the route Next.js writes once the handler has returned gives way to the `route` option of the
 *   wrapper that enriched the span (`pin`); without one, a route Next.js 14 and 15 wrote from the
 *   route file (`/api/items/route`) gives way to the route of the file's path; the name follows
 *   (`GET /api/items`);
 * - a span named by the path as received, for want of a route (Next.js 14 and 15 name the outer
 *   request span `GET /api/chain?fail=1` when middleware matches), is named by the method alone,
 *   as Next.js 16 names it and the HTTP conventions ask when no low-cardinality route is known.
 */
export function settleNextRequestSpan(span: Span & FinishedSpan, pin: RoutePin | undefined): void {
  const attributes = span.attributes;
  redactAttribute(span, 'http.target', attributes['http.target']);
  redactAttribute(span, 'next.span_name', attributes['next.span_name']);
  const written = attributes['http.route'];
  if (written !== undefined) {
    if (pin === undefined || typeof written !== 'string' || written === pin.route) return;
    const route = pin.route ?? (written.endsWith('/route') ? appRouteOfFile(written) : undefined);
    if (route === undefined) return;
    span.setAttribute('http.route', route);
    span.updateName(`${pin.method} ${route}`);
    return;
  }
  const method = pin?.method ?? attributes['http.method'];
  if (typeof method === 'string' && span.name.startsWith(`${method} /`)) span.updateName(method);
}

function redactAttribute(span: Span, key: string, value: unknown): void {
  if (typeof value !== 'string') return;
  const redacted = redactUrlQuery(value);
  if (redacted !== value) span.setAttribute(key, redacted);
}
