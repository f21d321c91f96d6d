import { type Context, type ContextManager, ROOT_CONTEXT } from '@opentelemetry/api';
import type { AsyncLocalStorageLike } from '../runtime/edge';
import { bindToContext } from './bind-to-context';

/**
 * The active context carried across `await`, timers and callbacks by AsyncLocalStorage
 * (`node:async_hooks` in Node, `globalThis.AsyncLocalStorage` in Next.js's edge sandbox).
 */
export class AsyncLocalStorageContextManager implements ContextManager {
  private readonly _storage: AsyncLocalStorageLike<Context>;

  constructor(AsyncLocalStorage: new <T>() => AsyncLocalStorageLike<T>) {
    this._storage = new AsyncLocalStorage<Context>();
  }

  active(): Context {
    return this._storage.getStore() ?? ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const callback = thisArg === undefined ? fn : fn.bind(thisArg);
    return this._storage.run(context, callback as F, ...args);
  }

  bind<T>(context: Context, target: T): T {
    return bindToContext(this, context, target);
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this._storage.disable?.();
    return this;
  }
}
