/** `waitUntil` of a request: keeps the function alive until the promise settles. */
export type WaitUntil = (promise: Promise<unknown>) => void;

/** What offers `waitUntil`: middleware's `event`, a handler's `ctx`, Next.js's request context. */
export interface WaitUntilHolder {
  waitUntil(promise: Promise<unknown>): void;
}

export interface RequestContext {
  get(): Partial<WaitUntilHolder> | undefined;
}

/**
 * Next.js's request context, and Vercel's, which Vercel's runtime sets up for every function (a
 * Hono or other non-Next.js app on Vercel has only this one); Next.js reads its own.
 */
const NEXT_REQUEST_CONTEXT = Symbol.for('@next/request-context');
const VERCEL_REQUEST_CONTEXT = Symbol.for('@vercel/request-context');

/** `value` when it has a `waitUntil` method; undefined too when looking throws (a getter, a Proxy). */
export function asWaitUntilHolder(value: unknown): WaitUntilHolder | undefined {
  try {
    return typeof (value as Partial<WaitUntilHolder> | undefined | null)?.waitUntil === 'function'
      ? (value as WaitUntilHolder)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Hands `promise` to `holder.waitUntil`. Whatever that returns is the platform's business: a
 * promise it returns that rejects is not left unhandled, as nothing in the app asked for it.
 */
export function waitUntil(holder: WaitUntilHolder, promise: Promise<unknown>): void {
  const returned: unknown = holder.waitUntil(promise);
  if (returned !== undefined) Promise.resolve(returned).catch(() => undefined);
}

/**
 * Where a tracing state keeps Next.js's (and Vercel's) request context store once found: it is set
 * up with the global scope (each edge sandbox, the node server) and stays, so a request reads no
 * global (in the edge runtime's VM a global read goes through the context's interceptor, ~2.5 µs
 * a request in bench/src/next.bench.mjs). While there is none, every 64th request looks again.
 */
export interface RequestContextCache {
  store: RequestContext | undefined;
  lookups: number;
}

export function newRequestContextCache(): RequestContextCache {
  return { store: undefined, lookups: 0 };
}

/** The request context Next.js (else Vercel) exposes with a `waitUntil`, where there is one. */
export function requestContext(cache: RequestContextCache): WaitUntilHolder | undefined {
  try {
    let store = cache.store;
    if (store === undefined) {
      if ((cache.lookups++ & 63) !== 0) return undefined;
      const global = globalThis as Record<symbol, RequestContext | undefined>;
      store = global[NEXT_REQUEST_CONTEXT] ?? global[VERCEL_REQUEST_CONTEXT];
      if (store === undefined) return undefined;
      cache.store = store;
    }
    return asWaitUntilHolder(store.get());
  } catch {
    return undefined;
  }
}
