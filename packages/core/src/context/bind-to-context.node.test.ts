/**
 * `ContextManager.bind` of @opentelemetry/api ("Bind an object as the current context") with
 * Node's own EventEmitter, as @opentelemetry/instrumentation-http binds a request and its response
 * to the span's context: listeners added afterwards run in that context even when the event comes
 * from elsewhere (the socket), and Node's conventions (`once` wrappers, `listeners()`,
 * `removeListener` by the listener given) keep working.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import { context, createContextKey, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestProvider } from '../../test/helpers/test-provider';
import { AsyncLocalStorageContextManager } from './async-local-storage-context-manager';
import { StackContextManager } from './stack-context-manager';

const KEY = createContextKey('bind test');
const bound = ROOT_CONTEXT.setValue(KEY, 'bound');

afterEach(() => {
  trace.disable();
  context.disable();
});

describe.each([
  ['AsyncLocalStorageContextManager', () => new AsyncLocalStorageContextManager(AsyncLocalStorage)],
  ['StackContextManager', () => new StackContextManager()],
])('%s.bind with a node:events EventEmitter', (_name, create) => {
  it('runs every kind of listener in the bound context, once listeners once', () => {
    const manager = create();
    const emitter = manager.bind(bound, new EventEmitter());
    const seen: unknown[] = [];
    const listener = () => seen.push(manager.active().getValue(KEY));
    emitter.on('e', listener);
    emitter.addListener('e', listener);
    emitter.prependListener('e', listener);
    emitter.once('e', listener);
    emitter.prependOnceListener('e', listener);
    manager.with(ROOT_CONTEXT, () => emitter.emit('e'));
    manager.with(ROOT_CONTEXT, () => emitter.emit('e'));
    expect(seen).toEqual(Array(8).fill('bound'));
    expect(emitter.listenerCount('e')).toBe(3);
  });

  it('removes listeners by the function given, once listeners included, and lists those', () => {
    const manager = create();
    const emitter = manager.bind(bound, new EventEmitter());
    const listener = () => {};
    emitter.on('e', listener);
    emitter.once('e', listener);
    emitter.prependOnceListener('e', listener);
    expect(emitter.listeners('e')).toContain(listener);
    emitter.removeListener('e', listener);
    emitter.off('e', listener);
    expect(emitter.listenerCount('e')).toBe(1);
    emitter.off('e', listener);
    expect(emitter.listenerCount('e')).toBe(0);
  });

  it('removeAllListeners keeps working, with a removeListener listener too', () => {
    const manager = create();
    const emitter = manager.bind(bound, new EventEmitter());
    const removed: unknown[] = [];
    emitter.on('removeListener', (event: string) => removed.push(event));
    emitter.on('a', () => {});
    emitter.once('b', () => {});
    emitter.removeAllListeners('a');
    expect(emitter.listenerCount('a')).toBe(0);
    emitter.removeAllListeners();
    expect(emitter.eventNames()).toEqual([]);
    expect(removed).toEqual(['a', 'b']);
  });

  it('binding twice does not wrap listeners twice', () => {
    const manager = create();
    const emitter = new EventEmitter();
    manager.bind(bound, emitter);
    manager.bind(bound, emitter);
    let calls = 0;
    const listener = () => calls++;
    emitter.on('e', listener);
    emitter.emit('e');
    expect(calls).toBe(1);
    const raw = emitter.rawListeners('e')[0] as { listener?: unknown };
    expect(raw.listener).toBe(listener);
    emitter.off('e', listener);
    expect(emitter.listenerCount('e')).toBe(0);
  });

  it('removes a listener added before the emitter was bound again to another context', () => {
    const manager = create();
    const emitter = new EventEmitter();
    const other = ROOT_CONTEXT.setValue(KEY, 'other');
    const listener = () => {};
    manager.bind(bound, emitter);
    emitter.on('x', listener);
    manager.bind(other, emitter);
    emitter.on('y', listener);
    emitter.on('x', listener);
    emitter.removeListener('x', listener);
    emitter.off('x', listener);
    emitter.removeListener('y', listener);
    expect([emitter.listenerCount('x'), emitter.listenerCount('y')]).toEqual([0, 0]);
  });
});

it('through the API: a listener of a bound emitter sees the active span of the binding', () => {
  const { provider, tracer } = createTestProvider();
  provider.register();
  const span = tracer.startSpan('request');
  const emitter = context.bind(trace.setSpan(context.active(), span), new EventEmitter());
  let active: unknown;
  emitter.on('data', () => (active = trace.getActiveSpan()));
  context.with(ROOT_CONTEXT, () => emitter.emit('data'));
  expect(active).toBe(span);
  span.end();
});
