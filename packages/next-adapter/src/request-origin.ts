import { type Context, createContextKey } from '@opentelemetry/api';

const REQUEST_ORIGIN_KEY = createContextKey('@spanlite/next request origin');

/** Where the request being handled came in: outbound fetch may send trace headers there. */
export interface RequestOrigin {
  /** The origin of `request.url` (what a `propagateTo` predicate is given). */
  readonly url: string;
  /**
   * The origin the client asked for (`Forwarded` host, `X-Forwarded-Host`, `Host`), where it
   * differs: Next.js builds `request.url` from its own host name (`localhost`), so an app that
   * calls itself by the host it was reached at names this one.
   */
  readonly host: string | undefined;
}

export function getRequestOrigin(ctx: Context): RequestOrigin | undefined {
  return ctx.getValue(REQUEST_ORIGIN_KEY) as RequestOrigin | undefined;
}

export function setRequestOrigin(ctx: Context, origin: RequestOrigin): Context {
  return ctx.setValue(REQUEST_ORIGIN_KEY, origin);
}
