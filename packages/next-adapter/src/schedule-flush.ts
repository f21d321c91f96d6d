import { diag, type Span } from '@opentelemetry/api';
import type { TracingState } from './tracing-state';

/** `waitUntil` of a request: keeps the function alive until the promise settles. */
export type WaitUntil = (promise: Promise<unknown>) => void;

/** What offers `waitUntil`: middleware's `event`, a handler's `ctx`, Next.js's request context. */
export interface WaitUntilHolder {
  waitUntil(promise: Promise<unknown>): void;
}

interface RequestContext {
  get(): Partial<WaitUntilHolder> | undefined;
}

const REQUEST_CONTEXT = Symbol.for('@next/request-context');

/** `value` when it has a `waitUntil` method. */
export function asWaitUntilHolder(value: unknown): WaitUntilHolder | undefined {
  return typeof (value as Partial<WaitUntilHolder> | undefined | null)?.waitUntil === 'function'
    ? (value as WaitUntilHolder)
    : undefined;
}

/** The request context Next.js (and Vercel) expose with a `waitUntil`, where they do. */
function requestContext(): WaitUntilHolder | undefined {
  try {
    const store = (globalThis as Record<symbol, RequestContext | undefined>)[REQUEST_CONTEXT];
    return store === undefined ? undefined : asWaitUntilHolder(store.get());
  } catch {
    return undefined;
  }
}

/**
 * Exports the request's spans once its local root (Next.js's request span, or ours) has ended,
 * without delaying the response: through the `waitUntil` of `holder` (middleware's `event`, a
 * handler's `ctx`), else of the request context, else `after()` when the app passed it, else as a
 * detached promise (a long-running server does not freeze). Requests ending together share one
 * flush, and so one promise.
 */
export function scheduleFlush(
  state: TracingState,
  root: Span,
  holder: WaitUntilHolder | undefined,
): void {
  try {
    const target = holder ?? requestContext();
    if (target !== undefined) target.waitUntil(state.flusher.flushAfter(root));
    else if (state.after !== undefined) state.after(() => state.flusher.flushAfter(root));
    else void state.flusher.flushAfter(root);
  } catch (error) {
    diag.debug('@spanlite/next: could not schedule a flush; the batch timer will export', error);
  }
}
