import { DiagLogLevel, diag, type Span, type TracerProvider } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { setupTracing, type TestTracing } from '../test/setup-tracing';
import type { InstrumentationLike } from './instrumentations';

/** Stands for an `InstrumentationBase`: records what it was given and spans with its tracer. */
class FakeInstrumentation implements InstrumentationLike {
  provider: TracerProvider | undefined;
  enableCalls = 0;
  constructor(
    readonly instrumentationName: string,
    private readonly _enabled: boolean,
  ) {}
  setTracerProvider(provider: TracerProvider): void {
    this.provider = provider;
  }
  enable(): void {
    this.enableCalls++;
  }
  getConfig(): { enabled?: boolean } {
    return { enabled: this._enabled };
  }
  span(name: string): Span {
    return this.provider!.getTracer(this.instrumentationName, '1.2.3').startSpan(name);
  }
}

let setup: TestTracing | undefined;
const errors: unknown[][] = [];
afterEach(async () => {
  await setup?.teardown();
  setup = undefined;
  diag.disable();
  errors.length = 0;
});

function captureDiagErrors(): void {
  diag.setLogger(
    {
      error: (...args: unknown[]) => errors.push(args),
      warn: () => {},
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    DiagLogLevel.ERROR,
  );
}

describe('registerTracing({ instrumentations })', () => {
  it('hands each instrumentation the provider, whose spans are exported with its scope', async () => {
    const made = new FakeInstrumentation('@acme/instrumentation-db', true);
    setup = setupTracing({ instrumentations: [made] });
    expect(made.provider).toBe(setup.handle.provider);
    made.span('SELECT items').end();
    const [span] = await setup.spans();
    expect(span!.name).toBe('SELECT items');
    expect(span!.instrumentationScope).toMatchObject({
      name: '@acme/instrumentation-db',
      version: '1.2.3',
    });
  });

  it('enables only those whose configuration left them off, as registerInstrumentations does', () => {
    const on = new FakeInstrumentation('on', true);
    const off = new FakeInstrumentation('off', false);
    setup = setupTracing({ instrumentations: [on, off] });
    expect(on.enableCalls).toBe(0);
    expect(off.enableCalls).toBe(1);
  });

  it('takes nested lists, as getNodeAutoInstrumentations() gives them', () => {
    const a = new FakeInstrumentation('a', false);
    const b = new FakeInstrumentation('b', false);
    const c = new FakeInstrumentation('c', false);
    setup = setupTracing({ instrumentations: [[a, [b]], c] });
    expect([a, b, c].map((i) => i.provider)).toEqual([0, 1, 2].map(() => setup!.handle.provider));
    expect([a, b, c].map((i) => i.enableCalls)).toEqual([1, 1, 1]);
  });

  it('reports one that throws, or is no instrumentation, and starts the others', () => {
    captureDiagErrors();
    const broken: InstrumentationLike = {
      instrumentationName: '@acme/broken',
      setTracerProvider() {
        throw new Error('boom');
      },
      enable() {},
    };
    const after = new FakeInstrumentation('after', false);
    const notOne = 'fetch' as unknown as InstrumentationLike;
    expect(() => {
      setup = setupTracing({ instrumentations: [broken, notOne, after] });
    }).not.toThrow();
    expect(after.provider).toBe(setup!.handle.provider);
    expect(after.enableCalls).toBe(1);
    expect(errors.map(([message]) => message)).toEqual([
      'registerTracing: instrumentation @acme/broken failed to start; skipped',
      'registerTracing: instrumentation (unnamed) failed to start; skipped',
    ]);
  });

  it('leaves them alone with OTEL_SDK_DISABLED=true', () => {
    const made = new FakeInstrumentation('off', false);
    setup = setupTracing({ instrumentations: [made], env: { OTEL_SDK_DISABLED: 'true' } });
    expect(made.provider).toBeUndefined();
    expect(made.enableCalls).toBe(0);
  });
});
