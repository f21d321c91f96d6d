import { context, DiagLogLevel, diag, propagation, trace } from '@opentelemetry/api';
import { expect, it } from 'vitest';
import { uninstrumentFetch } from './instrument-fetch';
import { type RegisterTracingOptions, registerTracing } from './register-tracing';
import { getTracingState, setTracingState } from './tracing-state';

/** Undoes a registration: the provider shut down, the state and the API's globals cleared. */
async function unregister(handle: { shutdown(): Promise<unknown> }): Promise<void> {
  await handle.shutdown();
  setTracingState(undefined);
  trace.disable();
  context.disable();
  propagation.disable();
}

/** A span processor that notes the name of each span that ends. */
function nameRecorder() {
  const ended: string[] = [];
  const processor = {
    onStart() {},
    onEnd: (span: { name: string }) => void ended.push(span.name),
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  return { ended, processor };
}

/** `fetch` answering 200 to every call and noting its URL; `restore()` puts the real one back. */
function fakeFetch() {
  const sent: string[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (input: RequestInfo | URL) => {
    sent.push(String(input instanceof Request ? input.url : input));
    return new Response(null, { status: 200 });
  }) as typeof fetch;
  return { sent, restore: () => void (globalThis.fetch = realFetch) };
}

it('takes null from JavaScript as no options: registers with the defaults, never throws', async () => {
  const handle = registerTracing(null as unknown as RegisterTracingOptions);
  try {
    expect(getTracingState()).toBeDefined();
    expect(trace.getTracer('app').startSpan('s').isRecording()).toBe(true);
  } finally {
    uninstrumentFetch();
    await unregister(handle);
  }
});

it('with OTEL_SDK_DISABLED=true, a second copy registering in the same globals finds the first (OpenNext: one Worker)', async () => {
  const errors: string[] = [];
  const log = (message: string) => void errors.push(message);
  diag.setLogger(
    { error: log, warn() {}, info() {}, debug() {}, verbose() {} },
    DiagLogLevel.ERROR,
  );
  const env = { OTEL_SDK_DISABLED: 'true' };
  const first = registerTracing({ env });
  try {
    // another copy of the package has its own module state but shares the globals
    const second = registerTracing({ env });
    expect(second.provider).toBe(first.provider);
    // the context manager and the propagator were registered once: no duplicate-registration error
    expect(errors).toEqual([]);
  } finally {
    await unregister(first);
    diag.disable();
  }
  // a registration after teardown is a new one
  const third = registerTracing({ env });
  expect(third.provider).not.toBe(first.provider);
  await third.shutdown();
  setTracingState(undefined);
  context.disable();
  propagation.disable();
});

it("makes new traces' ids with the idGenerator given: no random flag unless it says its trace ids are random", async () => {
  let spans = 0;
  const handle = registerTracing({
    exporter: null,
    instrumentFetch: false,
    env: {},
    idGenerator: {
      // AWS X-Ray's form: the epoch second, then 96 random bits
      generateTraceId: () => '5759e988bd862e3fe1be46a994272793',
      generateSpanId: () => (++spans).toString(16).padStart(16, '0'),
    },
  });
  try {
    const root = trace.getTracer('app').startSpan('root');
    const child = trace
      .getTracer('app')
      .startSpan('child', {}, trace.setSpan(context.active(), root));
    expect(root.spanContext()).toMatchObject({
      traceId: '5759e988bd862e3fe1be46a994272793',
      spanId: '0000000000000001',
      // sampled, without Trace Context Level 2's random flag (0x02): the ids are not known random
      traceFlags: 1,
    });
    expect(root.spanContext().traceState?.get('ot')).toMatch(/^rv:[0-9a-f]{14}$/);
    expect(child.spanContext()).toMatchObject({
      traceId: '5759e988bd862e3fe1be46a994272793',
      spanId: '0000000000000002',
      traceFlags: 1,
    });
  } finally {
    await unregister(handle);
  }
});

it("takes an exporter or span processor that is none (another SDK's 'auto') as a warning: the default exporter, the processor skipped", async () => {
  const warnings: string[] = [];
  const log = (message: string) => void warnings.push(message);
  diag.setLogger({ error: log, warn: log, info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
  const { sent, restore } = fakeFetch();
  const { ended, processor } = nameRecorder();
  const handle = registerTracing({
    exporter: 'auto',
    spanProcessors: ['auto', processor],
    instrumentFetch: false,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector.test:4318' },
  } as unknown as RegisterTracingOptions);
  try {
    trace.getTracer('app').startSpan('checkout').end();
    expect(await handle.forceFlush()).toBe('success');
    // the default OTLP exporter sent the span; the processor that is one saw it
    expect(sent).toEqual(['http://collector.test:4318/v1/traces']);
    expect(ended).toEqual(['checkout']);
    expect(warnings).toEqual([
      'registerTracing: exporter "auto" is not one; the default is used',
      'registerTracing: span processor "auto" is not one; skipped',
    ]);
  } finally {
    restore();
    await unregister(handle);
    diag.disable();
  }
});

it('takes one span processor given alone as a list of one (spreading it threw)', async () => {
  const { ended, processor } = nameRecorder();
  const handle = registerTracing({
    exporter: null,
    spanProcessors: processor,
    instrumentFetch: false,
    env: {},
  } as unknown as RegisterTracingOptions);
  try {
    trace.getTracer('app').startSpan('checkout').end();
    expect(ended).toEqual(['checkout']);
  } finally {
    await unregister(handle);
  }
});

it("takes a Set of span processors, 'none' as no exporter, and never throws for an exporter that throws when read", async () => {
  const { ended, processor } = nameRecorder();
  const { sent, restore } = fakeFetch();
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector.test:4318' };
  try {
    const none = registerTracing({
      exporter: 'none',
      spanProcessors: new Set([processor]),
      instrumentFetch: false,
      env,
    } as unknown as RegisterTracingOptions);
    trace.getTracer('app').startSpan('checkout').end();
    await none.forceFlush();
    expect(ended).toEqual(['checkout']);
    expect(sent).toEqual([]);
    await unregister(none);
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    const handle = registerTracing({
      exporter: hostile,
      spanProcessors: [hostile],
      instrumentFetch: false,
      env,
    } as unknown as RegisterTracingOptions);
    trace.getTracer('app').startSpan('pay').end();
    await handle.forceFlush();
    // the default exporter in its place
    expect(sent).toEqual(['http://collector.test:4318/v1/traces']);
    await unregister(handle);
  } finally {
    restore();
  }
});
