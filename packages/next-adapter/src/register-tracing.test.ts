import { context, propagation, trace } from '@opentelemetry/api';
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
