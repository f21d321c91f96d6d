import { AsyncResource } from 'node:async_hooks';
import { diag } from '@opentelemetry/api';
import { foundOnce } from './global-lookup';
import { type RequestData, readRequest } from './request-data';
import { inWorkerd } from './workerd';

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
 *
 * Cloudflare's workerd keeps each request's async context to it (some versions refuse to enter
 * one made in another request), and under OpenNext `register()` runs inside the first request:
 * there the requests are read directly, as in the edge build; so they are in a runtime that
 * refuses once.
 */
export function requestReader(): (request: Request) => RequestData {
  const outside = new AsyncResource('@spanlite/next');
  try {
    if (findWorkUnits()?.getStore() !== undefined) {
      diag.warn(
        "@spanlite/next: registerTracing ran while Next.js handled a request, whose async context it keeps to read requests in; call it once at start-up, in instrumentation.ts's register()",
      );
    }
  } catch {
    // no warning, then
  }
  // Cloudflare's workerd (Next.js through OpenNext) keeps each request's async context to it
  let usable = !inWorkerd();
  let entered = false;
  const readEntered = (request: Request): RequestData => {
    entered = true;
    return readRequest(request);
  };
  return (request) => {
    if (usable) {
      entered = false;
      try {
        return outside.runInAsyncScope(readEntered, undefined, request);
      } catch (error) {
        if (entered) throw error;
        usable = false;
        diag.debug(
          '@spanlite/next: the async context of registerTracing cannot be entered here (workerd); requests are read in their own',
          error,
        );
      }
    }
    return readRequest(request);
  };
}

interface WorkUnitStorage {
  getStore(): { type?: unknown } | undefined;
}

const WORK_UNITS = '@next/work-unit-async-storage@';

/** Next.js's store of the work in progress, where Next.js (16.5 and later) puts it. */
function findWorkUnits(): WorkUnitStorage | undefined {
  const key = Object.getOwnPropertySymbols(globalThis).find((symbol) =>
    symbol.description?.startsWith(WORK_UNITS),
  );
  return key === undefined ? undefined : (globalThis as Record<symbol, WorkUnitStorage>)[key];
}

/**
 * Tells whether Next.js is prerendering the route being handled (at build time, or regenerating a
 * cached route): the response is then stored and sent to every client the cache answers, so trace
 * headers would name this regeneration's trace to all of them. Next.js 16.5 keeps its work-unit
 * store on `globalThis` under a versioned symbol (see global-lookup.ts; asked only inside
 * Next.js's request span); earlier versions keep it to themselves, and there this
 * tells false.
 */
export function prerenderDetector(): () => boolean {
  const workUnits = foundOnce(findWorkUnits);
  return () => {
    try {
      const type = workUnits()?.getStore()?.type;
      return type !== undefined && type !== 'request';
    } catch {
      return false;
    }
  };
}
