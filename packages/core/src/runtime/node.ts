import { AsyncLocalStorage } from 'node:async_hooks';
import type * as edge from './edge';

export type { AsyncLocalStorageLike } from './edge';

export const getAsyncLocalStorage: typeof edge.getAsyncLocalStorage = () => AsyncLocalStorage;

export const getProcessEnv: typeof edge.getProcessEnv = () => process.env;

export const SDK_LANGUAGE: typeof edge.SDK_LANGUAGE = 'nodejs' as typeof edge.SDK_LANGUAGE;
