import { callAsIs, traceRequest } from './trace-request';
import { getTracingState } from './tracing-state';
import { asWaitUntilHolder } from './wait-until';
import { isRequest } from './web-classes';

/** The `event` Next.js passes to middleware (`NextFetchEvent`), as far as tracing needs it. */
export interface WaitUntilEvent {
  waitUntil(promise: Promise<unknown>): void;
}

type Middleware<Q extends Request, E, R> = (request: Q, event: E) => R;

/**
 * Traces Next.js middleware (or any `(request, event) => Response` edge function): the request's
 * span is enriched (or started) as by `withTracing`, and the spans are exported through
 * `event.waitUntil`. Trace headers go only on responses that end the request (a redirect, a
 * rewrite, an answer), not on `NextResponse.next()`, whose route adds its own.
 */
export function withEdgeTracing<Q extends Request, E, R>(
  middleware: Middleware<Q, E, R>,
): (request: Q, event: E) => Promise<Awaited<R>> {
  return function tracedMiddleware(request: Q, event: E): Promise<Awaited<R>> {
    const rest: [E] = [event];
    const state = getTracingState();
    if (state === undefined || !isRequest(request)) {
      return callAsIs(middleware, request, rest);
    }
    return traceRequest(
      state,
      middleware,
      request,
      rest,
      undefined,
      true,
      asWaitUntilHolder(event),
    );
  };
}
