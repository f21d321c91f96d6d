// Edge-safe runtime bindings: Vercel/Next.js edge, Cloudflare Workers, Deno, Bun, browsers.
// The node build replaces this file with ./node.ts (see scripts/tsup-runtime.ts).

export interface AsyncLocalStorageLike<T> {
  getStore(): T | undefined;
  run<R, A extends unknown[]>(store: T, callback: (...args: A) => R, ...args: A): R;
  /** Node's and Next.js's edge sandbox's; Cloudflare Workers' has none. */
  enterWith?(store: T): void;
  disable?(): void;
}

type AsyncLocalStorageClass = new <T>() => AsyncLocalStorageLike<T>;

/** Next.js's edge sandbox (and Cloudflare with nodejs_als) put AsyncLocalStorage on globalThis. */
export function getAsyncLocalStorage(): AsyncLocalStorageClass | undefined {
  const candidate = (globalThis as { AsyncLocalStorage?: AsyncLocalStorageClass })
    .AsyncLocalStorage;
  return typeof candidate === 'function' ? candidate : undefined;
}

/** The process environment where the runtime has one (Next.js edge does), else nothing. */
export function getProcessEnv(): Record<string, string | undefined> {
  const processLike = (globalThis as { process?: { env?: Record<string, string | undefined> } })
    .process;
  return processLike?.env ?? {};
}

/**
 * `process.executable.name`, for the default `service.name` (`unknown_service:<name>`): edge
 * runtimes run no executable of their own, so none (`service.name` is then `unknown_service`).
 */
export function getExecutableName(): string | undefined {
  return undefined;
}

export const SDK_LANGUAGE = 'webjs';

/**
 * Reads the wall clock for the clock's drift checks: directly here, where no Next.js prerender
 * counts reads of `Date.now()` (edge routes are not prerendered).
 */
export function wallClockReader(): () => number | undefined {
  return () => Date.now();
}
