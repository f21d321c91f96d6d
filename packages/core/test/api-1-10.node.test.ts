/**
 * spanlite behind `@opentelemetry/api` 1.10, the version `npm install @opentelemetry/api` gives
 * since October 2026 (installed here under the alias `@opentelemetry/api-1-10`: the repository's
 * other tests use 1.9, because the reference SDK 2.x they compare against peers `<1.10`). Code
 * written against 1.10 uses what it adds: attribute values of any AnyValue, and `context.attach`.
 */
import * as api from '@opentelemetry/api-1-10';
import { afterEach, expect, it } from 'vitest';
import { createContextManager } from '../src/context/create-context-manager';
import { createTestProvider } from './helpers/test-provider';

afterEach(() => {
  api.trace.disable();
  api.context.disable();
  api.propagation.disable();
  api.diag.disable();
});

function setup() {
  const warnings: string[] = [];
  api.diag.setLogger(
    {
      error: (m) => warnings.push(m),
      warn: (m) => warnings.push(m),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    { logLevel: api.DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  const test = createTestProvider();
  // Registered through the 1.10 copy, as register() does in an app whose one copy is 1.10 (a
  // copy of a newer minor does not see what an older one registered).
  api.trace.setGlobalTracerProvider(test.provider);
  api.context.setGlobalContextManager(createContextManager());
  return { ...test, warnings, tracer: api.trace.getTracer('app') };
}

it('context.attach() makes a span the parent of the next ones until its token is disposed', async () => {
  const { tracer, spans, warnings } = setup();
  const parent = tracer.startSpan('parent');
  const token = api.context.attach(api.trace.setSpan(api.context.active(), parent));
  await new Promise((resolve) => setTimeout(resolve, 1));
  tracer.startSpan('attached').end();
  token.dispose();
  tracer.startSpan('after').end();
  parent.end();
  const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
  expect(byName.attached!.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
  expect(byName.after!.parentSpanContext).toBeUndefined();
  expect(warnings).toEqual([]);
});

it('attribute values typed as AnyValue (maps, mixed arrays, bytes, null) are recorded', () => {
  const { tracer, spans, warnings } = setup();
  const span = tracer.startSpan('s', { attributes: { user: { id: 7, tags: ['a', null] } } });
  span.setAttribute('mixed', ['a', 1, { k: true }]);
  span.setAttribute('bytes', new Uint8Array([1, 2]));
  span.setAttribute('empty', null);
  span.end();
  expect(spans[0]!.attributes).toEqual({
    user: { id: 7, tags: ['a', null] },
    mixed: ['a', 1, { k: true }],
    bytes: new Uint8Array([1, 2]),
    empty: null,
  });
  expect(warnings).toEqual([]);
});
