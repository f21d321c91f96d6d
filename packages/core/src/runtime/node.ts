import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import type * as edge from './edge';

export type { AsyncLocalStorageLike } from './edge';

export const getAsyncLocalStorage: typeof edge.getAsyncLocalStorage = () => AsyncLocalStorage;

export const getProcessEnv: typeof edge.getProcessEnv = () => process.env;

/** The base name of `process.execPath` (`node`, `bun`, `deno`, `node.exe`), if there is one. */
export const getExecutableName: typeof edge.getExecutableName = () => {
  try {
    const path = (globalThis as { process?: { execPath?: unknown } }).process?.execPath;
    if (typeof path !== 'string') return undefined;
    const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    return name === '' ? undefined : name;
  } catch {
    return undefined;
  }
};

export const SDK_LANGUAGE: typeof edge.SDK_LANGUAGE = 'nodejs' as typeof edge.SDK_LANGUAGE;

/**
 * Reads the wall clock in the async context the clock was anchored in (a provider's making, at
 * start-up): while Next.js prerenders a route with `cacheComponents`, a read of `Date.now()` in
 * the route's async context counts as the route's own IO and aborts the prerender. A runtime
 * that refuses to enter that context (workerd, where it was made in another request) has no
 * reading: its clocks do not drift apart anyway.
 */
export const wallClockReader: typeof edge.wallClockReader = () => {
  const outside = new AsyncResource('@spanlite/core');
  let usable = true;
  return () => {
    if (usable) {
      try {
        return outside.runInAsyncScope(readDate);
      } catch {
        usable = false;
      }
    }
    return undefined;
  };
};

const readDate = (): number => Date.now();
