import type { ContextManager } from '@opentelemetry/api';
import { getAsyncLocalStorage } from '../runtime/edge';
import { AsyncLocalStorageContextManager } from './async-local-storage-context-manager';
import { StackContextManager } from './stack-context-manager';

/** AsyncLocalStorage where the runtime has it, else the synchronous fallback. */
export function createContextManager(): ContextManager {
  const AsyncLocalStorage = getAsyncLocalStorage();
  return AsyncLocalStorage
    ? new AsyncLocalStorageContextManager(AsyncLocalStorage)
    : new StackContextManager();
}
