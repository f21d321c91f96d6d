import { diag, type Span } from '@opentelemetry/api';
import type { TracingState } from './tracing-state';
import { requestContext, type WaitUntilHolder, waitUntil } from './wait-until';

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
    const target = holder ?? requestContext(state.requestContext);
    if (target !== undefined) waitUntil(target, state.flusher.flushAfter(root));
    else if (state.after !== undefined) state.after(() => state.flusher.flushAfter(root));
    else void state.flusher.flushAfter(root);
  } catch (error) {
    diag.debug('@spanlite/next: could not schedule a flush; the batch timer will export', error);
  }
}
