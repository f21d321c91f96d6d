import { type Context, type ContextManager, ROOT_CONTEXT } from '@opentelemetry/api';
import { apply } from './apply';
import { bindToContext } from './bind-to-context';
import { type ContextToken, restoreOnce } from './context-token';

/**
 * The fallback where no AsyncLocalStorage exists: the active context is exact within synchronous
 * code; across `await` a span must be passed as a parent explicitly.
 */
export class StackContextManager implements ContextManager {
  private _current: Context = ROOT_CONTEXT;

  active(): Context {
    return this._current;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const previous = this._current;
    this._current = context;
    try {
      // not `fn.call`: a function may have a `call` of its own
      return apply(fn, thisArg, args);
    } finally {
      this._current = previous;
    }
  }

  bind<T>(context: Context, target: T): T {
    return bindToContext(this, context, target);
  }

  /** `context.attach()` (`@opentelemetry/api` 1.10): active until the token is disposed. */
  attach(context: Context): ContextToken {
    const previous = this._current;
    this._current = context;
    return restoreOnce(() => {
      this._current = previous;
    });
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this._current = ROOT_CONTEXT;
    return this;
  }
}
