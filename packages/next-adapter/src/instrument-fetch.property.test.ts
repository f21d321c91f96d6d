/**
 * The traced `fetch` over arbitrary calls inside a wrapped request: whatever the input (a string, a
 * URL, a Request with its own method, headers and body) and init (headers as an object, a list of
 * pairs or a Headers object; a method; a body), the network gets the call a real `fetch` would
 * send, with trace headers added only for the app's own origin; the caller gets the very response,
 * or the very rejection; each call records one client span under the request's span. Runs in Node
 * and in the edge VM.
 */
import { SpanKind } from '@opentelemetry/api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTracing, type TestTracing } from '../test/setup-tracing';
import { withTracing } from './with-tracing';

const TRACE_HEADERS = ['traceparent', 'tracestate', 'baggage'];
const APP = 'http://app.test';

const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
const value = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
  maxLength: 20,
});
const headerPairs = fc.array(fc.tuple(token, value), { maxLength: 4 });

const HeadersForms = ['object', 'pairs', 'Headers'] as const;
function headersIn(form: (typeof HeadersForms)[number], pairs: [string, string][]): HeadersInit {
  if (form === 'pairs') return pairs;
  if (form === 'Headers') return new Headers(pairs);
  return Object.fromEntries(pairs);
}

const calls = fc.record({
  origin: fc.constantFrom(APP, 'https://third-party.example', 'http://app.test:8080'),
  path: fc.constantFrom('/api/items', '/a/b?c=1', '/%E2%82%AC', '/'),
  input: fc.constantFrom('string', 'URL', 'Request'),
  requestMethod: fc.constantFrom('GET', 'POST', 'PUT'),
  requestHeaders: headerPairs,
  init: fc.option(
    fc.record(
      {
        method: fc.constantFrom('GET', 'POST', 'DELETE', 'PATCH'),
        headers: fc.tuple(fc.constantFrom(...HeadersForms), headerPairs),
        body: fc.string({ maxLength: 20 }),
      },
      { requiredKeys: [] },
    ),
    { nil: undefined },
  ),
  answer: fc.oneof(
    fc.record({ status: fc.integer({ min: 200, max: 599 }) }),
    fc.constantFrom<'network error' | 'abort' | 'odd rejection'>(
      'network error',
      'abort',
      'odd rejection',
    ),
  ),
});

type Call = typeof calls extends fc.Arbitrary<infer T> ? T : never;

/** The input and init of the call, or undefined for a combination `fetch` itself refuses. */
function callOf(call: Call): { input: RequestInfo | URL; init?: RequestInit } | undefined {
  const url = `${call.origin}${call.path}`;
  const init: RequestInit | undefined =
    call.init === undefined
      ? undefined
      : {
          ...(call.init.method === undefined ? {} : { method: call.init.method }),
          ...(call.init.headers === undefined
            ? {}
            : { headers: headersIn(call.init.headers[0], call.init.headers[1]) }),
          ...(call.init.body === undefined ? {} : { body: call.init.body }),
        };
  let input: RequestInfo | URL = url;
  try {
    if (call.input === 'URL') input = new URL(url);
    if (call.input === 'Request') {
      input = new Request(url, {
        method: call.requestMethod,
        headers: call.requestHeaders,
        ...(call.requestMethod === 'GET' ? {} : { body: 'from the request' }),
      });
    }
    // what a real fetch would send; a GET with a body, say, is refused before anything is sent
    new Request(input instanceof Request ? input.clone() : input, init);
  } catch {
    return undefined;
  }
  return init === undefined ? { input } : { input, init };
}

describe('the traced fetch over arbitrary calls', () => {
  let setup: TestTracing;
  let answer: () => Response = () => new Response('ok');
  beforeAll(() => {
    setup = setupTracing({}, () => answer());
  });
  afterAll(async () => {
    await setup.teardown();
  });

  it('sends what the caller asked, adds trace headers only for the own origin, and returns or rethrows as is', async () => {
    await fc.assert(
      fc.asyncProperty(calls, async (call) => {
        const made = callOf(call);
        if (made === undefined) return;
        const expected = new Request(
          made.input instanceof Request ? made.input.clone() : made.input,
          made.init,
        );
        const expectedBody = await expected.text();
        const response =
          typeof call.answer === 'object'
            ? new Response(
                [204, 205, 304].includes(call.answer.status) ? null : 'downstream',
                call.answer,
              )
            : undefined;
        const rejection =
          call.answer === 'network error'
            ? new TypeError('fetch failed')
            : call.answer === 'abort'
              ? new DOMException('This operation was aborted', 'AbortError')
              : call.answer === 'odd rejection'
                ? { reason: 'not an Error' }
                : undefined;
        answer = () => {
          if (rejection !== undefined) throw rejection;
          return response!;
        };
        const before = (await setup.spans()).length;
        const sent = setup.calls.length;
        let outcome: { value: unknown } | { error: unknown } | undefined;
        const handler = withTracing(async () => {
          try {
            outcome = { value: await fetch(made.input, made.init) };
          } catch (error) {
            outcome = { error };
          }
          return new Response('ok');
        });
        await handler(new Request(`${APP}/api/outbound`));

        if (rejection !== undefined) expect((outcome as { error: unknown }).error).toBe(rejection);
        else expect((outcome as { value: unknown }).value).toBe(response);

        expect(setup.calls.length).toBe(sent + 1);
        const network = setup.calls[sent]!;
        expect(network.url).toBe(expected.url);
        expect(network.method).toBe(expected.method);
        expect(network.body).toBe(expectedBody);
        const own = (headers: Headers) =>
          [...headers].filter(([name]) => !TRACE_HEADERS.includes(name));
        expect(own(network.headers)).toEqual(own(expected.headers));
        const ownOrigin = new URL(expected.url).origin === APP;
        if (ownOrigin) {
          expect(network.headers.get('traceparent')).toMatch(
            /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]$/,
          );
        } else {
          for (const name of TRACE_HEADERS) {
            expect(network.headers.get(name)).toBe(expected.headers.get(name));
          }
        }

        const spans = (await setup.spans()).slice(before);
        const server = spans.filter((s) => s.kind === SpanKind.SERVER);
        const clients = spans.filter((s) => s.kind === SpanKind.CLIENT);
        expect(server).toHaveLength(1);
        expect(clients).toHaveLength(1);
        expect(clients[0]!.parentSpanContext?.spanId).toBe(server[0]!.spanContext().spanId);
        if (ownOrigin) {
          expect(network.headers.get('traceparent')).toContain(clients[0]!.spanContext().spanId);
        }
      }),
      { numRuns: 150 },
    );
  });
});
