import { context, DiagLogLevel, diag, propagation, trace } from '@opentelemetry/api';
import { expect, it } from 'vitest';
import { uninstrumentFetch } from './instrument-fetch';
import { type RegisterTracingOptions, registerTracing } from './register-tracing';
import { getTracingState, setTracingState } from './tracing-state';

it('takes null from JavaScript as no options: registers with the defaults, never throws', async () => {
  const handle = registerTracing(null as unknown as RegisterTracingOptions);
  try {
    expect(getTracingState()).toBeDefined();
    expect(trace.getTracer('app').startSpan('s').isRecording()).toBe(true);
  } finally {
    await handle.shutdown();
    uninstrumentFetch();
    setTracingState(undefined);
    trace.disable();
    context.disable();
    propagation.disable();
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
    await first.shutdown();
    setTracingState(undefined);
    trace.disable();
    context.disable();
    propagation.disable();
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
    await handle.shutdown();
    setTracingState(undefined);
    trace.disable();
    context.disable();
    propagation.disable();
  }
});
