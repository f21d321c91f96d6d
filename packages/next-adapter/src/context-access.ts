import { type Context, type ContextManager, context, ROOT_CONTEXT } from '@opentelemetry/api';

/** What the wrappers need of the context API: `active()` and `with()`. */
export type ContextAccess = Pick<ContextManager, 'active' | 'with'>;

const PROBE_KEY = Symbol('@spanlite/next context probe');

/**
 * The context manager itself when it is the one `@opentelemetry/api` uses, else the API. Going to
 * the manager skips the API's lookup of its global registry on every call (two global reads per
 * call in the edge runtime's VM, ~3 µs a request there in bench/src/next.bench.mjs); the probe
 * makes sure the two agree, since the API keeps an earlier registration over a later one.
 */
export function contextAccessFor(manager: ContextManager): ContextAccess {
  const probe: Context = ROOT_CONTEXT.setValue(PROBE_KEY, true);
  try {
    return context.with(probe, () => manager.active() === probe) ? manager : context;
  } catch {
    return context;
  }
}
