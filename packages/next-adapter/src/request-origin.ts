import { type Context, createContextKey } from '@opentelemetry/api';

const REQUEST_ORIGIN_KEY = createContextKey('@spanlite/next request origin');

/** The origin of the request being handled, which outbound fetch may send trace headers to. */
export function getRequestOrigin(ctx: Context): string | undefined {
  return ctx.getValue(REQUEST_ORIGIN_KEY) as string | undefined;
}

export function setRequestOrigin(ctx: Context, origin: string): Context {
  return ctx.setValue(REQUEST_ORIGIN_KEY, origin);
}
