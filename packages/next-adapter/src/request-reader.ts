import { AsyncResource } from 'node:async_hooks';
import { type RequestData, readRequest } from './request-data';

/**
 * Reads a request's URL and headers outside the async context of the request being handled.
 *
 * Next.js hands a route handler a proxy of its request that reports each read of `url` or
 * `headers` to the store of the work in progress. While Next.js prerenders a route (at build
 * time, and when it regenerates one with `revalidate` or `'use cache'`), such a read marks the
 * route dynamic, or aborts the prerender: a route whose handler reads nothing would no longer be
 * cached because the wrapper read them. Read within the async context of `registerTracing`
 * (Next.js's `register()`, before any request), the proxy finds no store and reports nothing;
 * the values are the same. (About 20 ns a request.)
 */
export function requestReader(): (request: Request) => RequestData {
  const outside = new AsyncResource('@spanlite/next');
  return (request) => outside.runInAsyncScope(readRequest, undefined, request);
}
