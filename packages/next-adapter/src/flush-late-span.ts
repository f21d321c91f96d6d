import type { HrTime } from '@opentelemetry/api';
import type { FinishedSpan } from '@spanlite/core';
import { getRequestScope } from './request-scope';
import { keepRequestFor } from './schedule-flush';
import type { TracingState } from './tracing-state';

/**
 * A span ended after its request's local root had: work left running after the response (an
 * `after()` callback, a Worker's `ctx.waitUntil` task, a promise nobody awaited). The request's own
 * flush has gone by, so the span gets a flush (shared by the late spans of 20 ms, see
 * `FlushScheduler.flushLate`), under the `waitUntil` of its request
 * when one can be found (the holder the wrapper put in the context, else Next.js's request
 * context): without it, a function frozen once that work is done would leave the span to the
 * batch timer, which never fires. Only for spans that started before the request's end or within
 * `windowMillis` (`flushWaitMillis`) of it, however long after they end: a span started in the
 * handler that ends with a streamed response (an AI SDK's `ai.streamText`; in the edge sandbox the
 * request's local root ends as the handler returns) is the request's own work. A loop started
 * inside a request (a poller's `setInterval`) keeps its context, and the spans of its later
 * ticks, started long after, go to the batch timer rather than each to an export of its own.
 * Never throws.
 */
export function flushLateSpan(
  state: TracingState,
  root: FinishedSpan,
  span: FinishedSpan,
  windowMillis: number,
): void {
  try {
    // Measured from the root's end to the span's start, not against the clock: while Next.js
    // prerenders a route, a read of `Date.now()` counts as the route's own IO (see
    // flush-scheduler.ts).
    if (millisBetween(root.endTime, span.startTime) > windowMillis) return;
    // the late spans of 20 ms share the flush, handed over once
    const holder = getRequestScope(state.context.active())?.holder;
    keepRequestFor(state, state.flusher.flushLate(), holder);
  } catch {
    // the batch timer exports it
  }
}

function millisBetween(from: HrTime, to: HrTime): number {
  return (to[0] - from[0]) * 1e3 + (to[1] - from[1]) / 1e6;
}
