/**
 * While Next.js prerenders a route with `cacheComponents` (at build time, and when it regenerates
 * one), it counts reads of the wall clock and of random values made in the route's async context
 * as the route's own IO, and aborts the prerender: `Date.now()`, `new Date()`, `Math.random()` and
 * `crypto.getRandomValues()` are replaced by functions that report to the work in progress.
 * Tracing the route (Next.js's spans, the wrapper's, the flush after the response, the export)
 * must report none.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { OtlpTraceExporter } from '@spanlite/exporters';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { setupTracing, type TestTracing } from '../test/setup-tracing';
import { withTracing } from './with-tracing';

const prerendering = new AsyncLocalStorage<string[]>();
const original = { now: Date.now, random: Math.random, monotonic: performance.now };
let clockReads = 0;

/** As Next.js's node-environment extensions: each read reported to the prerender in progress. */
function reportReads(): void {
  Date.now = () => {
    clockReads++;
    prerendering.getStore()?.push('Date.now()');
    return original.now();
  };
  Math.random = () => {
    prerendering.getStore()?.push('Math.random()');
    return original.random();
  };
  const fill = crypto.getRandomValues;
  crypto.getRandomValues = <T extends ArrayBufferView>(array: T): T => {
    prerendering.getStore()?.push('crypto.getRandomValues()');
    return fill.call(crypto, array) as T;
  };
}

let setup: TestTracing | undefined;
beforeEach(reportReads);
afterEach(async () => {
  Date.now = original.now;
  Math.random = original.random;
  performance.now = original.monotonic;
  delete (crypto as Partial<Crypto>).getRandomValues; // the class's own again
  await setup?.teardown();
  setup = undefined;
});

it("reports no read of the clock or of random values in a prerender's async context", async () => {
  // The collector asks for the first two attempts again: after a jittered backoff, then after
  // an HTTP-date Retry-After (each a read of the dice or of the wall clock); then takes them.
  const answers = [
    new Response(null, { status: 503 }),
    new Response(null, { status: 429, headers: { 'retry-after': new Date(0).toUTCString() } }),
  ];
  const sent: string[] = [];
  const exporter = new OtlpTraceExporter({
    url: 'http://collector.test/v1/traces',
    retry: { initialBackoffMillis: 1 },
    fetch: async (url) => {
      sent.push(String(url));
      return answers.shift() ?? new Response(null, { status: 200 });
    },
  });
  setup = setupTracing({ exporter });
  const tracer = trace.getTracer('next.js');
  const handler = withTracing(async () => Response.json({ stock: 3 }), { route: '/api/stock' });
  const reads: string[] = [];
  await prerendering.run(reads, async () => {
    // Next.js's request span, open while the handler runs, ended once the response is sent
    const root = tracer.startSpan('GET', { kind: SpanKind.SERVER });
    const inRoot = trace.setSpan(context.active(), root);
    await context.with(inRoot, () => handler(new Request('http://app.test/api/stock')));
    await new Promise((resolve) => setTimeout(resolve, 5));
    root.end();
    // work left running after the response, and spans enough to draw two blocks of random ids
    // (16,384 words each; a span id takes two, a trace id four)
    for (let i = 0; i < 9_000; i++) tracer.startSpan('after', {}, inRoot).end();
    await new Promise((resolve) => setTimeout(resolve, 50));
  });
  expect(reads).toEqual([]);
  expect(sent.length).toBeGreaterThanOrEqual(3);
});

it("compares the wall clock with the monotonic one outside a prerender's async context", async () => {
  setup = setupTracing();
  const tracer = trace.getTracer('next.js');
  // a second later than the last comparison: a local root's start compares the clocks again
  const monotonic = original.monotonic.bind(performance);
  performance.now = () => monotonic() + 5_000;
  const before = clockReads;
  const reads: string[] = [];
  prerendering.run(reads, () => {
    tracer.startSpan('GET', { kind: SpanKind.SERVER }).end();
  });
  expect(clockReads).toBe(before + 1);
  expect(reads).toEqual([]);
});
