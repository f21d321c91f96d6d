import { diag, type Span } from '@opentelemetry/api';
import type { TracingState } from './tracing-state';
import { requestContext, type WaitUntilHolder, waitUntil } from './wait-until';

/**
 * Exports the request's spans once its local root (Next.js's request span, or ours) has ended,
 * without delaying the response: through the `waitUntil` of `holder` (middleware's `event`, a
 * handler's `ctx`), else of the request context, else `after()` when the app passed it, else as a
 * detached promise (a long-running server does not freeze). Where both a holder and a request
 * context are there, both get it: a proxy's `event` under OpenNext may keep nothing alive, and
 * workerd then ends the request before its flush. Requests ending together share one flush, and
 * so one promise. `request`, the handler's: once aborted, its root is no longer waited for.
 */
export function scheduleFlush(
  state: TracingState,
  root: Span,
  holder: WaitUntilHolder | undefined,
  request?: unknown,
): void {
  try {
    const context = requestContext(state.requestContext);
    const target = holder ?? context;
    if (target !== undefined) {
      const flush = state.flusher.flushAfter(root, request);
      // already handed over as the root ended (keepRequestFor)
      if (flush === lastKept) return;
      waitUntil(target, flush);
      if (holder !== undefined && context !== undefined) waitUntil(context, flush);
    } else if (state.after !== undefined)
      state.after(() => state.flusher.flushAfter(root, request));
    else void state.flusher.flushAfter(root, request);
  } catch (error) {
    diag.debug('@spanlite/next: could not schedule a flush; the batch timer will export', error);
  }
}

/**
 * The flush last handed over by keepRequestFor: the requests whose roots (or late spans) end
 * within a tick share it, and the platform keeps the instance alive until it settles (workerd
 * keeps the request that asked for it; Vercel and Next.js's edge sandbox, the instance).
 */
let lastKept: Promise<unknown> | undefined;

/**
 * Hands a flush asked for outside a wrapper's own scheduling (as a local root server span ended,
 * for requests no wrapper handled: a page, a 404; as a span ended after its root, see
 * flush-late-span.ts) to its request's `waitUntil`: `holder`'s, else the request context's, where
 * there is one. The platform then keeps the request alive until its spans are exported.
 * Cloudflare's workerd cancels a request's timers once it ends, and a flush shared with later
 * requests then never settled (under OpenNext, one page request stopped every later export).
 */
export function keepRequestFor(
  state: TracingState,
  flush: Promise<unknown>,
  holder?: WaitUntilHolder,
): void {
  try {
    if (flush === lastKept) return;
    const target = holder ?? requestContext(state.requestContext);
    if (target === undefined) return;
    waitUntil(target, flush);
    lastKept = flush;
  } catch {
    // the batch timer exports it
  }
}
