import type { Context, ContextManager } from '@opentelemetry/api';

/** `ContextManager.bind` for functions: calls run in `context`. Other values come back as they are. */
export function bindToContext<T>(manager: ContextManager, context: Context, target: T): T {
  if (typeof target !== 'function') return target;
  const fn = target as unknown as (...args: unknown[]) => unknown;
  const bound = function (this: unknown, ...args: unknown[]) {
    return manager.with(context, () => fn.apply(this, args));
  };
  Object.defineProperty(bound, 'length', { value: fn.length, configurable: true });
  return bound as unknown as T;
}
