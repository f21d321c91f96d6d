// Node runtime bindings: Next.js's node server, Vercel's Node functions, Bun, Deno.
import type { TextMapPropagator } from '@opentelemetry/api';
import { IncomingHeadersPropagator } from '../incoming-headers';

export { hasFetchAccessor, setGlobalFetch, unsetGlobalFetch } from '../fetch-property';
export { requestOriginsOf, requestSpanStarting } from '../incoming-headers';
export { prerenderDetector, requestReader } from '../request-reader';
export { serverRuntime } from '../server-runtime';
export { adaptInstrumentation } from '../undici-exports';

/**
 * The propagator to register with `@opentelemetry/api`: the configured one, noting the plain
 * incoming headers Next.js's node server extracts from, so its request span's context can be
 * written into them for the edge sandbox (see incoming-headers.ts).
 */
export function globalPropagator(propagator: TextMapPropagator): TextMapPropagator {
  return new IncomingHeadersPropagator(propagator);
}

/**
 * `NEXT_RUNTIME` as Next.js's bundler writes it into the node server's code, for a server started
 * without the `next` command, which is what sets the variable (standalone `server.js`, a custom
 * server). Spelled `process.env.NEXT_RUNTIME` so that the bundler replaces it; unbundled, it is
 * the environment's.
 */
export function bundledNextRuntime(): string | undefined {
  return typeof process === 'object' ? process.env.NEXT_RUNTIME : undefined;
}
