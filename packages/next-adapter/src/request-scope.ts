import { type Context, createContextKey } from '@opentelemetry/api';
import type { WaitUntilHolder } from './wait-until';

const REQUEST_SCOPE_KEY = createContextKey('@spanlite/next request scope');

/** The origins of the request being handled, to which outbound fetch sends trace headers. */
export interface RequestOrigins {
  /** The origin of `request.url`, which outbound fetch may send trace headers to. */
  readonly origin: string;
  /**
   * The origin the client asked for (`Forwarded` host, `X-Forwarded-Host`, `Host`), where it
   * differs: Next.js builds `request.url` from its own host name (`localhost`), so an app that
   * calls itself by the host it was reached at names this one.
   */
  readonly hostOrigin: string | undefined;
}

/**
 * What a wrapper puts in the context of the request it handles, as one value: each context value
 * set is a copy of the context, once per request.
 */
export interface RequestScope extends RequestOrigins {
  /** The `waitUntil` the wrapper was given, for spans that end after the response. */
  readonly holder: WaitUntilHolder | undefined;
  /**
   * Set by a route handler's wrapper (not middleware's): a wrapped handler called inside gets a
   * span of its own instead of rewriting the request's.
   */
  readonly routed: boolean;
}

export function getRequestScope(ctx: Context): RequestScope | undefined {
  return ctx.getValue(REQUEST_SCOPE_KEY) as RequestScope | undefined;
}

export function setRequestScope(ctx: Context, scope: RequestScope): Context {
  return ctx.setValue(REQUEST_SCOPE_KEY, scope);
}
