import { type Span, SpanKind } from '@opentelemetry/api';
import { attributeOf, isNextJsSpan, kindOf } from './instrumentation-scope';
import type { RequestUrl } from './parse-request-url';

/**
 * The route of an edge route handler under Next.js (`/api/items/[id]`), from the span Next.js
 * starts for it, which is the edge sandbox's outermost one (`executing api route (app) …`,
 * INTERNAL, with `next.route`). Undefined elsewhere: in the node runtime Next.js's request span is
 * a SERVER span, which Next.js names by its route itself as it ends.
 */
export function nextEdgeRoute(root: Span | undefined): string | undefined {
  if (root === undefined || kindOf(root) === SpanKind.SERVER || !isNextJsSpan(root)) return;
  const route = attributeOf(root, 'next.route');
  return typeof route === 'string' && route[0] === '/' ? route : undefined;
}

/**
 * The URL without the query parameters Next.js added: it hands an edge route the request's URL
 * with the route's parameters put in its query (`/api/items/42` as `/api/items/42?id=42`; a
 * parameter the client sent by the same name is replaced), which `url.query` must not report as
 * the client's.
 */
export function withoutRouteParams(url: RequestUrl, route: string): RequestUrl {
  const names = Array.from(route.matchAll(/\[\[?(?:\.\.\.)?([^\]]+)\]/g), (match) => match[1]);
  if (url.query === '' || names.length === 0) return url;
  const query = url.query
    .split('&')
    .filter((pair) => {
      let key = pair.split('=', 1)[0]!.replace(/\+/g, ' ');
      try {
        key = decodeURIComponent(key);
      } catch {
        // not percent-encoded as a query's key is: compared as it is
      }
      return !names.includes(key);
    })
    .join('&');
  return { ...url, query };
}
