import { type Context, createContextKey } from '@opentelemetry/api';

const B3_DEBUG_FLAG_KEY = createContextKey('spanlite B3 debug flag');

/**
 * Marks a context as carrying B3's debug flag (`b3: …-d`, `X-B3-Flags: 1`), which the span context
 * has no room for, so that the B3 propagator sends it on again.
 */
export function setB3Debug(context: Context): Context {
  return context.setValue(B3_DEBUG_FLAG_KEY, true);
}

export function isB3Debug(context: Context): boolean {
  return context.getValue(B3_DEBUG_FLAG_KEY) === true;
}
