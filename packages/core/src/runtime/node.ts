import { AsyncLocalStorage } from 'node:async_hooks';
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
