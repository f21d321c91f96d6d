// Node runtime bindings: Next.js's node server, Vercel's Node functions, Bun, Deno.
import type { TextMapPropagator } from '@opentelemetry/api';
import { IncomingHeadersPropagator } from '../incoming-headers';

export { hasFetchAccessor, setGlobalFetch, unsetGlobalFetch } from '../fetch-property';
export { writeIncomingHeaders } from '../incoming-headers';
export { adaptInstrumentation } from '../undici-exports';

/**
 * The propagator to register with `@opentelemetry/api`: the configured one, noting the plain
 * incoming headers Next.js's node server extracts from, so its request span's context can be
 * written into them for the edge sandbox (see incoming-headers.ts).
 */
export function globalPropagator(propagator: TextMapPropagator): TextMapPropagator {
  return new IncomingHeadersPropagator(propagator);
}
