import {
  context,
  DiagLogLevel,
  diag,
  propagation,
  ROOT_CONTEXT,
  type Span,
  trace,
} from '@opentelemetry/api';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestProvider } from '../../test/helpers/test-provider';
import type { TracerProvider } from '../trace/tracer-provider';
import { AsyncLocalStorageContextManager } from './async-local-storage-context-manager';
import { createContextManager } from './create-context-manager';
import { StackContextManager } from './stack-context-manager';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let setup: ReturnType<typeof createTestProvider> & { provider: TracerProvider };

beforeEach(() => {
  setup = createTestProvider();
  setup.provider.register();
});

afterEach(() => {
  trace.disable();
  context.disable();
  propagation.disable();
});

describe('register()', () => {
  it('installs the global tracer provider, an AsyncLocalStorage context manager and W3C propagation', () => {
    const span = trace.getTracer('any-library').startSpan('through the API');
    expect(span.isRecording()).toBe(true);
    const carrier: Record<string, string> = {};
    context.with(trace.setSpan(context.active(), span), () =>
      propagation.inject(context.active(), carrier),
    );
    expect(carrier.traceparent).toBe(
      `00-${span.spanContext().traceId}-${span.spanContext().spanId}-03`,
    );
    span.end();
    expect(setup.spans.map((s) => s.name)).toEqual(['through the API']);
    expect(createContextManager()).toBeInstanceOf(AsyncLocalStorageContextManager);
  });
});

describe('context across asynchronous code', () => {
  it('parents spans correctly across await and timers', async () => {
    const tracer = trace.getTracer('t');
    await tracer.startActiveSpan('root', async (root) => {
      await sleep(1);
      const afterAwait = tracer.startSpan('after-await');
      afterAwait.end();
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          tracer.startSpan('in-timer').end();
          resolve();
        }, 1),
      );
      root.end();
    });
    const [afterAwait, inTimer, root] = setup.spans;
    expect(afterAwait!.parentSpanContext?.spanId).toBe(root!.spanContext().spanId);
    expect(inTimer!.parentSpanContext?.spanId).toBe(root!.spanContext().spanId);
    expect(context.active()).toBe(ROOT_CONTEXT);
  });

  it('keeps concurrent requests apart (property: any interleaving of awaits)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 4 }), {
          minLength: 2,
          maxLength: 12,
        }),
        async (requests) => {
          setup.spans.length = 0;
          const tracer = trace.getTracer('t');
          await Promise.all(
            requests.map((delays, r) =>
              tracer.startActiveSpan(`request-${r}`, async (root: Span) => {
                for (const [step, delay] of delays.entries()) {
                  await sleep(delay);
                  await tracer.startActiveSpan(`request-${r}-step-${step}`, async (child: Span) => {
                    await sleep(delay);
                    child.end();
                  });
                }
                root.end();
              }),
            ),
          );
          const byName = new Map(setup.spans.map((s) => [s.name, s]));
          for (const [r, delays] of requests.entries()) {
            const root = byName.get(`request-${r}`)!;
            expect(root.parentSpanContext).toBeUndefined();
            for (const step of delays.keys()) {
              const child = byName.get(`request-${r}-step-${step}`)!;
              expect(child.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
              expect(child.spanContext().traceId).toBe(root.spanContext().traceId);
            }
          }
        },
      ),
      { numRuns: 10 },
    );
  }, 30_000);

  it('returns what the callback returns and rethrows what it throws, unchanged', async () => {
    const tracer = trace.getTracer('t');
    const value = { answer: 42 };
    expect(
      tracer.startActiveSpan('s', (span) => {
        span.end();
        return value;
      }),
    ).toBe(value);
    const error = new Error('user error');
    expect(() =>
      tracer.startActiveSpan('s', () => {
        throw error;
      }),
    ).toThrow(error);
    await expect(
      tracer.startActiveSpan('s', async () => {
        throw error;
      }),
    ).rejects.toBe(error);
  });

  it('binds functions to a context', async () => {
    const tracer = trace.getTracer('t');
    const span = tracer.startSpan('bound');
    const bound = context.bind(trace.setSpan(ROOT_CONTEXT, span), () => trace.getActiveSpan());
    await sleep(1);
    expect(bound()).toBe(span);
  });
});

describe('with(context, fn, thisArg, ...args) of a function with its own call, apply or bind', () => {
  it.each([
    ['the AsyncLocalStorage manager', () => createContextManager()],
    ['the stack manager', () => new StackContextManager()],
  ])('calls it as it is, with its this and arguments: %s', (_name, makeManager) => {
    const manager = makeManager();
    const self = { name: 'self' };
    const fn = Object.assign(
      function (this: unknown, a: number, b: number) {
        return [this, a + b, manager.active()];
      },
      { call: 'not a function', apply: 'nor this', bind: () => () => 'nor this one' },
    );
    const ctx = ROOT_CONTEXT.setValue(Symbol('k'), 1);
    expect(manager.with(ctx, fn, self, 1, 2)).toEqual([self, 3, ctx]);
    const bound = manager.bind(ctx, fn) as unknown as (a: number, b: number) => unknown[];
    expect(bound.call(self, 2, 3)).toEqual([self, 5, ctx]);
  });
});

describe('StackContextManager (runtimes without AsyncLocalStorage)', () => {
  it('is exact in synchronous code and restores the previous context', () => {
    const manager = new StackContextManager();
    const key = Symbol('k');
    const inner = ROOT_CONTEXT.setValue(key, 1);
    expect(manager.with(inner, () => manager.active().getValue(key))).toBe(1);
    expect(manager.active()).toBe(ROOT_CONTEXT);
    expect(() =>
      manager.with(inner, () => {
        throw new Error('x');
      }),
    ).toThrow('x');
    expect(manager.active()).toBe(ROOT_CONTEXT);
  });
});

describe('attach (context.attach of @opentelemetry/api 1.10)', () => {
  const key = Symbol('k');
  const a = ROOT_CONTEXT.setValue(key, 'a');
  const b = ROOT_CONTEXT.setValue(key, 'b');

  it.each([
    ['the AsyncLocalStorage manager', () => createContextManager()],
    ['the stack manager', () => new StackContextManager()],
  ])(
    '%s: active until disposed, then the previous context again; a second dispose does nothing',
    (_, make) => {
      const manager = make() as ReturnType<typeof createContextManager> & {
        attach(context: typeof a): { dispose(): void };
      };
      manager.with(a, () => {
        const token = manager.attach(b);
        expect(manager.active().getValue(key)).toBe('b');
        const inner = manager.attach(ROOT_CONTEXT);
        expect(manager.active()).toBe(ROOT_CONTEXT);
        inner.dispose();
        expect(manager.active().getValue(key)).toBe('b');
        token.dispose();
        expect(manager.active().getValue(key)).toBe('a');
        token.dispose();
        expect(manager.active().getValue(key)).toBe('a');
      });
      expect(manager.active()).toBe(ROOT_CONTEXT);
    },
  );

  it('the AsyncLocalStorage manager: an attached context carries across await, and stays inside the run that attached it', async () => {
    const manager = createContextManager() as AsyncLocalStorageContextManager;
    expect(manager).toBeInstanceOf(AsyncLocalStorageContextManager);
    await manager.with(a, async () => {
      await sleep(1);
      const token = manager.attach(b);
      await sleep(1);
      expect(manager.active().getValue(key)).toBe('b');
      token.dispose();
      expect(manager.active().getValue(key)).toBe('a');
    });
    expect(manager.active()).toBe(ROOT_CONTEXT);
  });
});

describe('attach where AsyncLocalStorage cannot enter a context outside run (Cloudflare Workers)', () => {
  it('changes nothing, says so once, and its token does nothing', () => {
    const warnings: string[] = [];
    diag.setLogger(
      {
        error: () => {},
        warn: (m) => warnings.push(m),
        info: () => {},
        debug: () => {},
        verbose: () => {},
      },
      { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
    );
    try {
      // an AsyncLocalStorage as workerd's: run and getStore, no enterWith
      class NoEnterWith<T> {
        private store: T | undefined;
        getStore() {
          return this.store;
        }
        run<R, A extends unknown[]>(store: T, fn: (...args: A) => R, ...args: A): R {
          const previous = this.store;
          this.store = store;
          try {
            return fn(...args);
          } finally {
            this.store = previous;
          }
        }
      }
      const manager = new AsyncLocalStorageContextManager(NoEnterWith);
      const key = Symbol('k');
      manager.attach(ROOT_CONTEXT.setValue(key, 1)).dispose();
      manager.attach(ROOT_CONTEXT.setValue(key, 2));
      expect(manager.active()).toBe(ROOT_CONTEXT);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/context\.with/);
    } finally {
      diag.disable();
    }
  });
});
