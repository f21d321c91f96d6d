/**
 * A tracer taken at module level from another copy of `@opentelemetry/api` before registerTracing
 * (Next.js 14 and 15 evaluate an edge route's modules, with the route bundle's own copy of the API,
 * before the sandbox calls register()). `@opentelemetry/api-1-10` stands for that other copy.
 */
import { trace as otherCopy } from '@opentelemetry/api-1-10';
import { afterEach, expect, it } from 'vitest';
import { noteEarlyProvider } from '../src/early-tracer-providers';
import { setupTracing, type TestTracing } from './setup-tracing';

let setup: TestTracing | undefined;
afterEach(async () => {
  await setup?.teardown();
  setup = undefined;
  otherCopy.disable();
});

it('records a module-level tracer of another API copy whose provider a wrapper noted', async () => {
  noteEarlyProvider(otherCopy);
  const moduleLevel = otherCopy.getTracer('app');
  setup = setupTracing();
  moduleLevel.startSpan('EdgeGreeting.compose').end();
  expect((await setup.spans()).map((s) => s.name)).toEqual(['EdgeGreeting.compose']);
});

it('without the note, such a tracer records nothing (what Next.js 14 and 15 did to its spans)', async () => {
  const moduleLevel = otherCopy.getTracer('app');
  setup = setupTracing();
  const span = moduleLevel.startSpan('lost');
  expect(span.isRecording()).toBe(false);
  span.end();
  expect(await setup.spans()).toEqual([]);
});
