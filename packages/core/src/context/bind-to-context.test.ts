/**
 * `ContextManager.bind` of @opentelemetry/api ("Bind an object as the current context"; target:
 * "Any object to which a context need to be set"), for both context managers: a function runs in
 * the context; an event emitter's listeners run in it, wherever the event is emitted from (what
 * @opentelemetry/instrumentation-http does with a request and its response). Runs in Node and in
 * the edge VM, so the emitter here is a small one of the tests' own, not `node:events` (whose own
 * conventions `bind-to-context.node.test.ts` covers).
 */
import { type ContextManager, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { getAsyncLocalStorage } from '../runtime/edge';
import { AsyncLocalStorageContextManager } from './async-local-storage-context-manager';
import { StackContextManager } from './stack-context-manager';

const KEY = createContextKey('bind test');

/** An emitter in the style of eventemitter3: `off` compares listeners, `once` is a flag. */
class MiniEmitter {
  private readonly entries = new Map<string, Array<{ fn: Function; once: boolean }>>();

  on(event: string, fn: Function): this {
    return this.add(event, fn, false, false);
  }
  addListener(event: string, fn: Function): this {
    return this.add(event, fn, false, false);
  }
  once(event: string, fn: Function): this {
    return this.add(event, fn, true, false);
  }
  prependListener(event: string, fn: Function): this {
    return this.add(event, fn, false, true);
  }
  prependOnceListener(event: string, fn: Function): this {
    return this.add(event, fn, true, true);
  }
  off(event: string, fn: Function): this {
    const list = this.entries.get(event) ?? [];
    let at = list.length - 1;
    while (at >= 0 && list[at]!.fn !== fn) at--;
    if (at >= 0) list.splice(at, 1);
    return this;
  }
  removeListener(event: string, fn: Function): this {
    return this.off(event, fn);
  }
  removeAllListeners(event?: string): this {
    if (event === undefined) this.entries.clear();
    else this.entries.delete(event);
    return this;
  }
  emit(event: string, ...args: unknown[]): boolean {
    const list = [...(this.entries.get(event) ?? [])];
    for (const entry of list) {
      if (entry.once) this.off(event, entry.fn);
      entry.fn.apply(this, args);
    }
    return list.length > 0;
  }
  count(event: string): number {
    return this.entries.get(event)?.length ?? 0;
  }
  /** The functions held for `event`, as added (wrappers included). */
  stored(event: string): Function[] {
    return (this.entries.get(event) ?? []).map((entry) => entry.fn);
  }
  private add(event: string, fn: Function, once: boolean, prepend: boolean): this {
    const list = this.entries.get(event) ?? [];
    this.entries.set(event, list);
    if (prepend) list.unshift({ fn, once });
    else list.push({ fn, once });
    return this;
  }
}

/** An emitter that lists its listeners as stored (eventemitter3's `listeners(event)`). */
class ListingEmitter extends MiniEmitter {
  listeners(event: string): Function[] {
    return this.stored(event);
  }
}

const AsyncLocalStorage = getAsyncLocalStorage();
const managers: Array<[string, () => ContextManager]> = [
  ['StackContextManager', () => new StackContextManager()],
];
if (AsyncLocalStorage !== undefined) {
  managers.push([
    'AsyncLocalStorageContextManager',
    () => new AsyncLocalStorageContextManager(AsyncLocalStorage),
  ]);
}

describe.each(managers)(
  '%s.bind (API ContextManager.bind: "Bind an object as the current context")',
  (_name, create) => {
    const bound = ROOT_CONTEXT.setValue(KEY, 'bound');
    const other = ROOT_CONTEXT.setValue(KEY, 'other');
    const seen = (manager: ContextManager) => manager.active().getValue(KEY);

    it('a function runs in the bound context, with its this, arguments and length', () => {
      const manager = create();
      const target = { name: 't' };
      const fn = manager.bind(bound, function (this: typeof target, a: number, b: number) {
        return [this.name, a + b, seen(manager)];
      });
      expect(fn.length).toBe(2);
      expect(manager.with(other, () => fn.call(target, 1, 2))).toEqual(['t', 3, 'bound']);
    });

    it('an event emitter comes back as itself, its listeners running in the bound context', () => {
      const manager = create();
      const emitter = new MiniEmitter();
      expect(manager.bind(bound, emitter)).toBe(emitter);
      const calls: unknown[] = [];
      const listener = function (this: unknown, value: number) {
        calls.push([this === emitter, value, seen(manager)]);
      };
      emitter.on('data', listener);
      emitter.addListener('data', listener);
      emitter.prependListener('data', listener);
      emitter.once('data', listener);
      emitter.prependOnceListener('data', listener);
      manager.with(other, () => emitter.emit('data', 7));
      expect(calls).toEqual(Array(5).fill([true, 7, 'bound']));
      calls.length = 0;
      manager.with(other, () => emitter.emit('data', 8));
      expect(calls).toEqual(Array(3).fill([true, 8, 'bound']));
    });

    it('removeListener and off with the listener as given remove what was added', () => {
      const manager = create();
      const emitter = manager.bind(bound, new MiniEmitter());
      const listener = () => {};
      emitter.on('a', listener);
      emitter.on('a', listener);
      emitter.once('b', listener);
      emitter.removeListener('a', listener);
      expect(emitter.count('a')).toBe(1);
      emitter.off('a', listener);
      emitter.off('b', listener);
      expect(emitter.count('a') + emitter.count('b')).toBe(0);
    });

    it('off with the listener as given removes each time it was added, across bindings, for an emitter that lists its listeners', () => {
      const manager = create();
      const emitter = new ListingEmitter();
      const listener = () => {};
      emitter.on('a', listener); // before any binding
      manager.bind(bound, emitter);
      emitter.on('a', listener);
      emitter.once('a', listener);
      manager.bind(other, emitter); // bound again (per request, say): a wrapper of its own
      emitter.on('a', listener);
      for (let left = 3; left >= 0; left--) {
        emitter.off('a', listener);
        expect(emitter.count('a')).toBe(left);
      }
    });

    it('removeAllListeners still removes every listener, for one event or all', () => {
      const manager = create();
      const emitter = manager.bind(bound, new MiniEmitter());
      const calls: string[] = [];
      emitter.on('a', () => calls.push('a'));
      emitter.on('b', () => calls.push('b'));
      emitter.removeAllListeners('a');
      emitter.emit('a');
      emitter.emit('b');
      emitter.removeAllListeners();
      emitter.emit('b');
      expect(calls).toEqual(['b']);
      const listener = () => calls.push(String(seen(manager)));
      emitter.on('a', listener);
      emitter.emit('a');
      emitter.off('a', listener);
      expect(emitter.count('a')).toBe(0);
      expect(calls).toEqual(['b', 'bound']);
    });

    it('binding twice wraps nothing twice; listeners added after it run in the latest context', () => {
      const manager = create();
      const emitter = new MiniEmitter();
      manager.bind(bound, emitter);
      const on = emitter.on;
      expect(manager.bind(bound, emitter)).toBe(emitter);
      expect(emitter.on).toBe(on);
      const calls: unknown[] = [];
      emitter.on('x', () => calls.push(['first', seen(manager)]));
      manager.bind(other, emitter);
      const listener = () => calls.push(['second', seen(manager)]);
      emitter.on('x', listener);
      // a wrapper added again (a listener moved from one event to another) is not wrapped again
      const wrapper = emitter.stored('x')[1]!;
      expect(wrapper).not.toBe(listener);
      emitter.on('y', wrapper);
      expect(emitter.stored('y')).toEqual([wrapper]);
      manager.with(ROOT_CONTEXT, () => {
        emitter.emit('x');
        emitter.emit('y');
      });
      expect(calls).toEqual([
        ['first', 'bound'],
        ['second', 'other'],
        ['second', 'other'],
      ]);
      emitter.off('x', listener);
      expect(emitter.count('x')).toBe(1);
    });

    it('other values come back as they are, and bind never throws', () => {
      const manager = create();
      const frozen = Object.freeze({ on() {}, off() {} });
      for (const value of [undefined, null, 1, 'text', { a: 1 }, frozen]) {
        expect(manager.bind(bound, value)).toBe(value);
      }
      const readOnly = Object.defineProperty({ off() {} }, 'on', { value() {}, writable: false });
      expect(() => manager.bind(bound, readOnly)).not.toThrow();
    });
  },
);
