import { noteEarlyProvider } from './early-tracer-providers';
import { callAsIs, traceRequest } from './trace-request';
import { getTracingState } from './tracing-state';
import { asWaitUntilHolder } from './wait-until';
import { isRequest } from './web-classes';

/** The `event` Next.js passes to middleware (`NextFetchEvent`), as far as tracing needs it. */
export interface WaitUntilEvent {
  waitUntil(promise: Promise<unknown>): void;
}

type Middleware<Q extends Request, E, R, T> = (this: T, request: Q, event: E) => R;

/**
 * Traces Next.js middleware (or any `(request, event) => Response` edge function): the request's
 * span is enriched (or started) as by `withTracing`, and the spans are exported through
 * `event.waitUntil`. Trace headers go only on responses that end the request (a redirect, a
 * rewrite within the app, an answer), not on `NextResponse.next()`, whose route adds its own, nor
 * on a rewrite to another origin, to which Next.js forwards them as request headers.
 */
export function withEdgeTracing<Q extends Request, E, R, T = unknown>(
  middleware: Middleware<Q, E, R, T>,
): (this: T, request: Q, event: E) => Promise<Awaited<R>> {
  noteEarlyProvider();
  return function tracedMiddleware(this: T, request: Q, event: E) {
    const rest: [E] = [event];
    const state = getTracingState();
    if (state === undefined || !isRequest(request)) {
      return callAsIs(middleware, this, request, rest);
    }
    return traceRequest(
      state,
      middleware,
      this,
      request,
      rest,
      undefined,
      true,
      asWaitUntilHolder(event),
    );
  };
}
