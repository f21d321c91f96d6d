import type { TracingState } from './tracing-state';
import { getWaitUntilHolder, requestContext } from './wait-until';

/** The flush last handed to a `waitUntil` here: late spans of one tick share it. */
let lastGiven: Promise<void> | undefined;

/**
 * A span ended after its request's local root had: work left running after the response (an
 * `after()` callback, a Worker's `ctx.waitUntil` task, a promise nobody awaited). The request's own
 * flush has gone by, so the span gets a flush of its own, under the `waitUntil` of its request
 * when one can be found (the holder the wrapper put in the context, else Next.js's request
 * context): without it, a function frozen once that work is done would leave the span to the
 * batch timer, which never fires. Never throws.
 */
export function flushLateSpan(state: TracingState): void {
  try {
    const flush = state.flusher.flushSoon();
    if (flush === lastGiven) return;
    lastGiven = flush;
    const holder =
      getWaitUntilHolder(state.context.active()) ?? requestContext(state.requestContext);
    holder?.waitUntil(flush);
  } catch {
    // the batch timer exports it
  }
}
