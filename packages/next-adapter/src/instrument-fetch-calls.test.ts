/** What the traced fetch passes on and whose span it writes to, in less common calls. */
import { SpanKind, trace } from '@opentelemetry/api';
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

it("starts its own client span under another library's client span, leaving that span alone", async () => {
  setup = setupTracing();
  const sdk = trace.getTracer('payments-sdk');
  const handler = withTracing(async () => {
    await sdk.startActiveSpan('payments.charge', { kind: SpanKind.CLIENT }, async (span) => {
      await fetch('http://app.test/charge?sig=secret', { method: 'POST', body: 'x' });
      await fetch('http://app.test/receipt');
      span.end();
    });
    return new Response('ok');
  });
  await handler(incoming());
  const spans = await setup.spans();
  const charge = spans.find((s) => s.name === 'payments.charge')!;
  expect(charge.attributes).toEqual({});
  expect(charge.instrumentationScope.name).toBe('payments-sdk');
  const calls = spans.filter((s) => s.parentSpanContext?.spanId === charge.spanContext().spanId);
  expect(calls.map((s) => [s.name, s.kind, s.attributes['url.full']])).toEqual([
    ['POST', SpanKind.CLIENT, 'http://app.test/charge?sig=REDACTED'],
    ['GET', SpanKind.CLIENT, 'http://app.test/receipt'],
  ]);
});

it('keeps the method and body of an init that is a Request (forwarding one) when it adds trace headers', async () => {
  setup = setupTracing();
  const forwarded = new Request('http://elsewhere.test/in', {
    method: 'POST',
    body: 'hello',
    headers: { 'x-forwarded': 'yes' },
  });
  const handler = withTracing(async () => await fetch('http://app.test/upstream', forwarded));
  await handler(incoming());
  const [call] = setup.calls;
  expect(call).toMatchObject({ url: 'http://app.test/upstream', method: 'POST', body: 'hello' });
  expect(call!.headers.get('x-forwarded')).toBe('yes');
  expect(call!.headers.get('traceparent')).toMatch(/^00-/);
});

it("records a method's canonical form with the one sent, and names an unknown one HTTP", async () => {
  setup = setupTracing();
  const handler = withTracing(async () => {
    await fetch('http://app.test/a', { method: 'query' });
    await fetch('http://app.test/b', { method: 'PROPFIND' });
    return new Response('ok');
  });
  await handler(incoming());
  const clients = (await setup.spans()).filter((s) => s.kind === SpanKind.CLIENT);
  expect(clients.map((s) => [s.name, s.attributes['http.request.method']])).toEqual([
    ['QUERY', 'QUERY'],
    ['HTTP', '_OTHER'],
  ]);
  expect(clients.map((s) => s.attributes['http.request.method_original'])).toEqual([
    'query',
    'PROPFIND',
  ]);
});

it("keeps what the runtime hangs on its fetch (Bun's fetch.preconnect), and its length", () => {
  const realFetch = globalThis.fetch;
  const preconnect = () => undefined;
  const withExtra = Object.assign(
    // one declared parameter, as Node's fetch(input, init = undefined)
    (input: RequestInfo | URL, ...rest: [RequestInit?]) => realFetch(input, ...rest),
    { preconnect },
  );
  globalThis.fetch = withExtra as typeof fetch;
  try {
    instrumentFetch();
    expect(globalThis.fetch).not.toBe(withExtra);
    expect((globalThis.fetch as unknown as { preconnect: unknown }).preconnect).toBe(preconnect);
    expect(globalThis.fetch.length).toBe(1);
  } finally {
    uninstrumentFetch();
    globalThis.fetch = realFetch;
  }
});

it('leaves calls that are no HTTP request (data:, blob:) untraced', async () => {
  setup = setupTracing();
  const handler = withTracing(async () => {
    await fetch('data:text/plain,hello');
    return new Response('ok');
  });
  await handler(incoming());
  expect((await setup.spans()).filter((s) => s.kind === SpanKind.CLIENT)).toEqual([]);
  expect(setup.calls.map((c) => c.url)).toEqual(['data:text/plain,hello']);
});

it("names Next.js's fetch span by the method sent when the input is a Request (Next.js reads init only)", async () => {
  setup = setupTracing();
  const url = 'http://app.test/api/echo';
  const tracer = trace.getTracer('next.js');
  const handler = withTracing(async () => {
    // what Next.js's patched fetch does: method from init, else GET
    await tracer.startActiveSpan(
      `fetch GET ${url}`,
      {
        kind: SpanKind.CLIENT,
        attributes: { 'http.url': url, 'http.method': 'GET', 'next.span_name': `fetch GET ${url}` },
      },
      async (nextSpan) => {
        await fetch(new Request(url, { method: 'POST', body: 'x' }));
        nextSpan.end();
      },
    );
    return new Response('ok');
  });
  await handler(incoming());
  const [client] = (await setup.spans()).filter((s) => s.kind === SpanKind.CLIENT);
  // HTTP conventions: a client span is named by its method ("MUST NOT default to using URI path")
  expect(client!.name).toBe('POST');
  expect(client!.attributes).toMatchObject({
    'http.request.method': 'POST',
    'http.method': 'POST',
    'next.span_name': `fetch POST ${url}`,
  });
  expect(setup.calls[0]).toMatchObject({ method: 'POST', body: 'x' });
});

it('rejects a call fetch rejects for its init as untraced fetch does, and sends nothing', async () => {
  setup = setupTracing();
  const rejections: unknown[] = [];
  const handler = withTracing(async () => {
    for (const init of ['abc', 42, { headers: null }]) {
      await fetch('http://app.test/a', init as RequestInit).catch((error) =>
        rejections.push(error),
      );
    }
    return new Response('ok');
  });
  await handler(incoming());
  expect(rejections.map((error) => (error as Error).constructor.name)).toEqual([
    'TypeError',
    'TypeError',
    'TypeError',
  ]);
  expect(setup.calls).toEqual([]);
  // a call with no init, or init null, still gets its trace headers
  await withTracing(async () => {
    await fetch('http://app.test/b');
    await fetch('http://app.test/c', null as unknown as RequestInit);
    return new Response('ok');
  })(incoming());
  expect(setup.calls.map((call) => [call.url, call.headers.has('traceparent')])).toEqual([
    ['http://app.test/b', true],
    ['http://app.test/c', true],
  ]);
});

it("reads a URL-like object's toString once, and fetches the URL its span records", async () => {
  setup = setupTracing();
  let page = 0;
  const next = { toString: () => `http://app.test/page/${++page}` };
  await withTracing(async () => await fetch(next as unknown as URL))(incoming());
  expect(page).toBe(1);
  expect(setup.calls.map((call) => call.url)).toEqual(['http://app.test/page/1']);
  const client = (await setup.spans()).find((span) => span.kind === SpanKind.CLIENT)!;
  expect(client.attributes['url.full']).toBe('http://app.test/page/1');
});
