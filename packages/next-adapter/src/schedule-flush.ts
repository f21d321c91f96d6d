import { diag, type Span } from '@opentelemetry/api';
import type { TracingState } from './tracing-state';

/** `waitUntil` of a request: keeps the function alive until the promise settles. */
export type WaitUntil = (promise: Promise<unknown>) => void;

interface RequestContext {
  get(): { waitUntil?: (promise: Promise<unknown>) => void } | undefined;
}

const REQUEST_CONTEXT = Symbol.for('@next/request-context');

/** The `waitUntil` Next.js (and Vercel) expose through the request context, where they do. */
function requestContextWaitUntil(): WaitUntil | undefined {
  try {
    const store = (globalThis as Record<symbol, RequestContext | undefined>)[REQUEST_CONTEXT];
    const ctx = store?.get();
    if (typeof ctx?.waitUntil !== 'function') return undefined;
    return (promise) => ctx.waitUntil!(promise);
  } catch {
    return undefined;
  }
}

/**
 * Exports the request's spans once its local root (Next.js's request span, or ours) has ended,
 * without delaying the response: through `waitUntil` given by the caller (middleware's
 * `event.waitUntil`), else the request context's `waitUntil`, else `after()` when the app passed
 * it, else as a detached promise (a long-running server does not freeze).
 */
export function scheduleFlush(state: TracingState, root: Span, waitUntil?: WaitUntil): void {
  try {
    const chosen = waitUntil ?? requestContextWaitUntil();
    if (chosen !== undefined) chosen(flushWhenEnded(state, root));
    else if (state.after !== undefined) state.after(() => flushWhenEnded(state, root));
    else void flushWhenEnded(state, root);
  } catch (error) {
    diag.debug('@spanlite/next: could not schedule a flush; the batch timer will export', error);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function flushWhenEnded(state: TracingState, root: Span): Promise<void> {
  try {
    // Next.js ends its request span once the response is sent, after the handler returned; a
    // short backoff poll finds that without a hook into Next.js.
    let waited = 0;
    for (let delay = 1; root.isRecording() && waited < state.flushWaitMillis; delay *= 2) {
      const step = Math.min(delay, 50, state.flushWaitMillis - waited);
      await sleep(step);
      waited += step;
    }
    await state.flusher.flushSoon();
  } catch (error) {
    diag.debug('@spanlite/next: flush after the response failed', error);
  }
}
