import { foundOnce } from './global-lookup';
import { inWorkerd } from './workerd';

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
 * workerd cancels a request as hung when what it waits for (its `waitUntil`) depends only on
 * other requests' timers and IO: a flush shared by the requests of one moment belongs to the one
 * that started it. There each request's wait gets a timer of its own, cleared once the promise
 * settles (`KEEP_ALIVE_MILLIS` at most, past the 30 s Workers allow after a response).
 */
const KEEP_OWN_TIMER = inWorkerd();
const KEEP_ALIVE_MILLIS = 60_000;

function withOwnTimer(promise: Promise<unknown>): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, KEEP_ALIVE_MILLIS);
  });
  return Promise.race([promise, bound]).finally(() => clearTimeout(timer));
}

/**
 * Hands `promise` to `holder.waitUntil`. Whatever that returns is the platform's business: a
 * promise it returns that rejects is not left unhandled, as nothing in the app asked for it.
 */
export function waitUntil(holder: WaitUntilHolder, promise: Promise<unknown>): void {
  const returned: unknown = holder.waitUntil(KEEP_OWN_TIMER ? withOwnTimer(promise) : promise);
  if (returned !== undefined) Promise.resolve(returned).catch(() => undefined);
}

/** Finds Next.js's (else Vercel's) request context store, kept once found (see global-lookup.ts). */
export type RequestContextLookup = () => RequestContext | undefined;

export function requestContextLookup(): RequestContextLookup {
  return foundOnce(() => {
    const global = globalThis as Record<symbol, RequestContext | undefined>;
    return global[NEXT_REQUEST_CONTEXT] ?? global[VERCEL_REQUEST_CONTEXT];
  });
}

/** The request context Next.js (else Vercel) exposes with a `waitUntil`, where there is one. */
export function requestContext(lookup: RequestContextLookup): WaitUntilHolder | undefined {
  try {
    return asWaitUntilHolder(lookup()?.get());
  } catch {
    return undefined;
  }
}
