import { noteEarlyProvider } from './early-tracer-providers';
import { callAsIs, traceRequest } from './trace-request';
import { getTracingState } from './tracing-state';
import { asWaitUntilHolder } from './wait-until';
import { isRequest } from './web-classes';

export interface WithTracingOptions {
  /**
   * The route template, as in the file system (`/api/items/[id]`): recorded as `http.route` and
   * used in the span name. Without it the span keeps Next.js's name (or, outside Next.js, is
   * named by the method alone, as the semantic conventions ask when no route is known).
   */
  route?: string | undefined;
}

type RouteHandler<Q extends Request, A extends unknown[], R, T> = (
  this: T,
  request: Q,
  ...rest: A
) => R;

/**
 * Traces an App Router route handler (node or edge runtime): the request's server span gets the
 * HTTP semantic-convention attributes and the response status; a throw is recorded and rethrown
 * unchanged; 5xx sets ERROR; the response gets `traceresponse` and `Server-Timing` headers and is
 * otherwise returned as it is. The spans are exported after the response, through `waitUntil`.
 * Before `registerTracing` runs, the handler is called as it is. `this` is passed on (a Worker's
 * `export default { fetch }` method keeps its object).
 */
export function withTracing<Q extends Request, A extends unknown[], R, T = unknown>(
  handler: RouteHandler<Q, A, R, T>,
  options: WithTracingOptions = {},
): (this: T, request: Q, ...rest: A) => Promise<Awaited<R>> {
  const route = options?.route;
  noteEarlyProvider();
  return function tracedRouteHandler(this: T, request: Q, ...rest: A) {
    const state = getTracingState();
    if (state === undefined || !isRequest(request)) {
      return callAsIs(handler, this, request, rest);
    }
    // An argument with `waitUntil` keeps the function alive until the spans are out: the second
    // (Vercel functions' context) or the third (Cloudflare Workers' and Hono's `fetch(request,
    // env, ctx)`).
    const holder = asWaitUntilHolder(rest[0]) ?? asWaitUntilHolder(rest[1]);
    return traceRequest(state, handler, this, request, rest, route, false, holder);
  };
}
