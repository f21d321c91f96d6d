/**
 * The node build's `globalThis.fetch` accessor (fetch-property.ts): the traced fetch survives
 * Next.js's dev server putting the original back on each hot reload.
 */
import { SpanKind } from '@opentelemetry/api';
import { afterEach, expect, it } from 'vitest';
import { setupTracing, type TestTracing } from '../test/setup-tracing';
import { instrumentFetch, uninstrumentFetch } from './instrument-fetch';
import { withTracing } from './with-tracing';

let setup: TestTracing | undefined;
afterEach(async () => {
  await setup?.teardown();
  setup = undefined;
});

const incoming = () => new Request('http://app.test/api/outbound');

it("stays in place when Next.js's dev server puts back the fetch it saw at start (resetFetch, on each hot reload)", async () => {
  setup = setupTracing();
  const traced = globalThis.fetch;
  const seenAtStart = (traced as unknown as Record<symbol, typeof fetch>)[
    Symbol.for('@spanlite/next.original-fetch')
  ];
  // next/dist/server/lib/router-server.js: `globalThis.fetch = originalFetch`, then Next.js
  // patches fetch again, on top of what it finds, as the next request loads the route
  globalThis.fetch = seenAtStart!;
  expect(globalThis.fetch).toBe(traced);
  const current = globalThis.fetch;
  const patchedByNext = ((input: RequestInfo | URL, init?: RequestInit) =>
    current(input, init)) as typeof fetch;
  globalThis.fetch = patchedByNext;
  expect(globalThis.fetch).toBe(patchedByNext);
  // traced already, below Next.js's wrapper: not wrapped twice
  instrumentFetch();
  expect(globalThis.fetch).toBe(patchedByNext);

  const handler = withTracing(async () => await fetch('http://app.test/items'));
  await handler(incoming());
  const clients = (await setup.spans()).filter((s) => s.kind === SpanKind.CLIENT);
  expect(clients.map((s) => s.attributes['url.full'])).toEqual(['http://app.test/items']);
  expect(setup.calls[0]!.headers.get('traceparent')).toMatch(/^00-/);
});

it('takes any other fetch assigned over it, and uninstrumentFetch leaves a plain property', () => {
  const realFetch = globalThis.fetch;
  try {
    instrumentFetch();
    const mock = (async () => new Response('mocked')) as typeof fetch;
    globalThis.fetch = mock;
    expect(globalThis.fetch).toBe(mock);
    globalThis.fetch = realFetch;
    uninstrumentFetch();
    expect(Object.getOwnPropertyDescriptor(globalThis, 'fetch')).toMatchObject({
      value: realFetch,
      writable: true,
      configurable: true,
    });
  } finally {
    uninstrumentFetch();
    globalThis.fetch = realFetch;
  }
});
