import type { Context, ContextManager } from '@opentelemetry/api';
import { apply } from './apply';

type Listener = (...args: unknown[]) => unknown;
/** A listener as an emitter may hold it: a wrapper names the listener it wraps (Node's convention). */
type WrappedListener = Listener & { listener?: unknown };

/** The manager and context the listeners of a bound emitter run in. */
interface Scope {
  readonly _manager: ContextManager;
  readonly _context: Context;
}

interface EmitterBinding {
  _scope: Scope;
  /** The wrapper each listener was last added as, reused while the scope stays the same. */
  readonly _wrappers: WeakMap<Listener, Listener>;
}

// The two listener-removing methods come first: should an emitter refuse a replacement half-way
// (a read-only property), a wrapped listener can still be removed by the listener it wraps.
const METHODS = [
  'removeListener',
  'off',
  'addListener',
  'on',
  'once',
  'prependListener',
  'prependOnceListener',
];

const bindings = new WeakMap<object, EmitterBinding>();
/** Every wrapper made here, with the scope it runs its listener in. */
const wrapperScopes = new WeakMap<Function, Scope>();

/**
 * `ContextManager.bind` ("bind an object as the current context"). A function comes back as a
 * function whose calls run in `context`. An event emitter (duck-typed, so that no `node:events` is
 * needed: an object with `on` or `addListener`) comes back as the same object, and every listener
 * added to it from then on runs in `context`, wherever the event is emitted from;
 * `removeListener`/`off` with the listener as it was given remove it. Binding an emitter again
 * changes the context of the listeners added after that, and wraps nothing twice. Other values
 * come back as they are.
 */
export function bindToContext<T>(manager: ContextManager, context: Context, target: T): T {
  if (typeof target === 'function') return bindFunction(manager, context, target as Listener) as T;
  const emitter = target as Record<string, unknown> | null;
  if (
    typeof emitter === 'object' &&
    emitter !== null &&
    (typeof emitter.on === 'function' || typeof emitter.addListener === 'function')
  ) {
    bindEmitter({ _manager: manager, _context: context }, emitter);
  }
  return target;
}

function bindFunction(manager: ContextManager, context: Context, fn: Listener): Listener {
  const bound = function (this: unknown, ...args: unknown[]) {
    return manager.with(context, () => apply(fn, this, args));
  };
  Object.defineProperty(bound, 'length', { value: fn.length, configurable: true });
  return bound;
}

function bindEmitter(scope: Scope, emitter: Record<string, unknown>): void {
  const existing = bindings.get(emitter);
  if (existing !== undefined) {
    const { _manager, _context } = existing._scope;
    if (_manager !== scope._manager || _context !== scope._context) existing._scope = scope;
    return;
  }
  const binding: EmitterBinding = { _scope: scope, _wrappers: new WeakMap() };
  bindings.set(emitter, binding);
  try {
    METHODS.forEach((name, index) => {
      const method = emitter[name];
      if (typeof method !== 'function') return;
      emitter[name] = function (this: unknown, ...args: unknown[]) {
        const listener = args[1];
        if (args.length > 1) {
          args[1] =
            index < 2
              ? toRemove(emitter, binding, args[0], listener)
              : wrapListener(binding, listener);
        }
        return apply(method, this, args);
      };
    });
  } catch {
    // A method that cannot be replaced (a frozen emitter): listeners added through it run in the
    // context they are emitted in, as without bind.
  }
}

/** The listener to add in place of `listener`: one wrapper per listener and scope, reused. */
function wrapListener(binding: EmitterBinding, listener: unknown): unknown {
  if (typeof listener !== 'function' || wrapperScopes.has(listener)) return listener;
  // Wrapping a wrapper (Node's `once` adds, through `on`, a function whose `listener` is the one
  // given to `once`): added as it is.
  const inner = (listener as { listener?: unknown }).listener;
  if (typeof inner === 'function' && wrapperScopes.has(inner)) return listener;
  const scope = binding._scope;
  let wrapper = binding._wrappers.get(listener as Listener);
  if (wrapper === undefined || wrapperScopes.get(wrapper) !== scope) {
    // one wrapper per listener, the latest scope's: an emitter bound again per request keeps no
    // earlier request's context but through the listeners still added with it
    wrapper = bindFunction(scope._manager, scope._context, listener as Listener);
    // Node's convention for wrapped listeners: `listeners()` lists, and `removeListener` matches,
    // the listener the user gave.
    (wrapper as { listener?: unknown }).listener = listener;
    wrapperScopes.set(wrapper, scope);
    binding._wrappers.set(listener as Listener, wrapper);
  }
  return wrapper;
}

/**
 * What to hand `removeListener`/`off` for `listener`: the entry the emitter holds for it, the
 * last one, as emitters remove the last match. An emitter that lists its entries as stored
 * (Node's `rawListeners`; `listeners` elsewhere, as in eventemitter3) is searched: for the
 * listener itself (added before binding), one of our wrappers of it (whatever binding made it),
 * or Node's `once` wrapper around ours (ours is handed over: Node matches the `listener` its
 * wrapper carries). An emitter that lists nothing gets the wrapper made last.
 */
function toRemove(
  emitter: Record<string, unknown>,
  binding: EmitterBinding,
  event: unknown,
  listener: unknown,
): unknown {
  if (typeof listener !== 'function') return listener;
  // Node's `listeners` gives the listeners as added, unwrapped: its `rawListeners` first.
  const list = emitter.rawListeners ?? emitter.listeners;
  let raw: unknown;
  try {
    if (typeof list === 'function') raw = list.call(emitter, event);
  } catch {
    // a listing that throws: as for an emitter without one
  }
  if (!Array.isArray(raw)) return binding._wrappers.get(listener as Listener) ?? listener;
  for (let i = raw.length - 1; i >= 0; i--) {
    const entry = raw[i] as WrappedListener | undefined;
    if (entry === listener) return listener;
    const inner = entry?.listener as WrappedListener | undefined;
    // one of our wrappers of it, or Node's once wrapper of the listener itself
    if (inner === listener) return wrapperScopes.has(entry!) ? entry : listener;
    // Node's once wrapper of one of ours
    if (typeof inner === 'function' && wrapperScopes.has(inner) && inner.listener === listener) {
      return inner;
    }
  }
  return listener;
}
