import { type Context, type ContextManager, diag, ROOT_CONTEXT } from '@opentelemetry/api';
import type { AsyncLocalStorageLike } from '../runtime/edge';
import { apply } from './apply';
import { bindToContext } from './bind-to-context';
import { type ContextToken, restoreOnce } from './context-token';

/**
 * The active context carried across `await`, timers and callbacks by AsyncLocalStorage
 * (`node:async_hooks` in Node, `globalThis.AsyncLocalStorage` in Next.js's edge sandbox).
 */
export class AsyncLocalStorageContextManager implements ContextManager {
  private readonly _storage: AsyncLocalStorageLike<Context>;
  private _attachWarned = false;

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
    if (thisArg === undefined) return this._storage.run(context, fn, ...args);
    // not `fn.bind`: a function may have a `bind` of its own
    return this._storage.run(context, apply, fn, thisArg, args) as ReturnType<F>;
  }

  bind<T>(context: Context, target: T): T {
    return bindToContext(this, context, target);
  }

  /**
   * `context.attach()` of `@opentelemetry/api` 1.10 (experimental): `context` becomes active for
   * the rest of the current execution and what it starts, until the token's `dispose` puts back
   * the context active before. As with the reference's, an attach inside an async function before
   * its first `await` also changes its caller's context: prefer `with`. Where the storage cannot
   * enter a context outside `run` (Cloudflare Workers), nothing changes.
   */
  attach(context: Context): ContextToken {
    const storage = this._storage;
    if (typeof storage.enterWith !== 'function') {
      if (!this._attachWarned) {
        this._attachWarned = true;
        diag.warn(
          'context.attach(): this runtime cannot enter a context outside run(); use context.with()',
        );
      }
      return restoreOnce(() => {});
    }
    const previous = storage.getStore() as Context;
    storage.enterWith(context);
    return restoreOnce(() => storage.enterWith!(previous));
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this._storage.disable?.();
    return this;
  }
}
