/**
 * The wrappers' promise, over arbitrary requests and handlers: the handler gets the very request,
 * its result (or throw) reaches the caller as the same value, a response keeps its status, body
 * and every header but `traceresponse` and `Server-Timing`, nothing is printed (see
 * scripts/test-setup.ts), and each wrapped request records one server span with attribute values
 * an exporter can send. Runs in Node and in the edge VM.
 */
import { type Attributes, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTracing, type TestTracing } from '../test/setup-tracing';
import { withEdgeTracing } from './with-edge-tracing';
import { withTracing } from './with-tracing';

const TRACE_HEADERS = new Set(['traceresponse', 'server-timing']);
const VALID_TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** Header values a `Headers` object takes: no CR, LF or NUL, latin-1, trimmed by it anyway. */
const headerValue = fc.string({
  unit: fc
    .oneof(
      fc.integer({ min: 0x20, max: 0x7e }),
      fc.integer({ min: 0xa0, max: 0xff }),
      fc.constant(0x09),
    )
    .map((code) => String.fromCharCode(code)),
  maxLength: 40,
});

/** A header's value: one a propagator or the attribute readers parse, malformed or not. */
const oneOf = (...values: string[]) => fc.oneof(fc.constantFrom(...values), headerValue);

const requestHeaders = fc.record(
  {
    traceparent: oneOf(VALID_TRACEPARENT, `${VALID_TRACEPARENT}-extra`, '00-0-0-01', 'ff-x'),
    tracestate: oneOf('a=1,b=2', 'a=1,a=2', '=,,=', 'k@v=x'),
    baggage: oneOf('user=alice', 'k=%ZZ', 'k', ';;;'),
    b3: oneOf('0', 'd', '4bf92f3577b34da6-00f067aa0ba902b7-1', 'x-y-z'),
    forwarded: oneOf('for=1.2.3.4;proto=https;host=shop.example', 'for="[::1]:80"', 'host=', '";'),
    'x-forwarded-host': oneOf('shop.example:8443', '[::1]', ':::', 'a b'),
    'x-forwarded-proto': oneOf('https', 'HTTP', 'ftp', ''),
    'x-forwarded-for': oneOf('1.2.3.4, 5.6.7.8', 'unknown', '[::1]:9'),
    'user-agent': headerValue,
    'x-request-id': headerValue,
  },
  { requiredKeys: [] },
);

const requests = fc.record({
  method: fc.constantFrom(
    'GET',
    'POST',
    'PUT',
    'DELETE',
    'PATCH',
    'HEAD',
    'OPTIONS',
    'PROPFIND',
    'get',
    'X-Custom',
  ),
  origin: fc.constantFrom(
    'http://app.test:3000',
    'https://shop.example',
    'http://[::1]:8080',
    'http://127.0.0.1',
    'https://xn--bcher-kva.example',
  ),
  path: fc.array(fc.string({ unit: 'grapheme', maxLength: 8 }), { maxLength: 4 }),
  query: fc.option(
    fc.dictionary(fc.constantFrom('q', 'X-Amz-Signature', 'sig', 'a b'), headerValue),
    {
      nil: undefined,
    },
  ),
  headers: requestHeaders,
});

type Outcome =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: string | null }
  | { kind: 'redirect'; status: number }
  | { kind: 'error-response' }
  | { kind: 'middleware-next' }
  | { kind: 'value'; value: unknown }
  | { kind: 'throw'; value: unknown };

const NULL_BODY_STATUSES = new Set([204, 205, 304]);

const outcomes: fc.Arbitrary<Outcome> = fc.oneof(
  fc.record({
    kind: fc.constant('response' as const),
    status: fc.integer({ min: 200, max: 599 }),
    headers: fc.dictionary(
      fc.constantFrom('x-own', 'cache-control', 'content-type', 'set-cookie', 'location'),
      headerValue,
    ),
    body: fc.option(fc.string({ maxLength: 20 }), { nil: null }),
  }),
  fc.record({
    kind: fc.constant('redirect' as const),
    status: fc.constantFrom(301, 302, 303, 307, 308),
  }),
  fc.constant({ kind: 'error-response' as const }),
  fc.constant({ kind: 'middleware-next' as const }),
  fc.record({
    kind: fc.constant('value' as const),
    value: fc.constantFrom(undefined, null, 42, 'text', { status: 500 }),
  }),
  fc.record({
    kind: fc.constant('throw' as const),
    value: fc
      .constantFrom<() => unknown>(
        () => new Error('boom'),
        () => new TypeError('bad'),
        () => 'a string',
        () => null,
        () => undefined,
        () => ({ digest: 'NEXT_REDIRECT;replace;/login;307;' }),
        () => ({ digest: 'NEXT_HTTP_ERROR_FALLBACK;404' }),
        () => new Response('thrown', { status: 418 }),
        () => ({
          get message(): string {
            throw new Error('a getter that throws');
          },
          get digest(): string {
            throw new Error('a getter that throws');
          },
        }),
      )
      .map((make) => make()),
  }),
);

/** What the handler returns for `outcome`, made anew for each call. */
function resultOf(outcome: Outcome): unknown {
  switch (outcome.kind) {
    case 'response':
      return new Response(NULL_BODY_STATUSES.has(outcome.status) ? null : outcome.body, {
        status: outcome.status,
        headers: outcome.headers,
      });
    case 'redirect':
      return Response.redirect('https://elsewhere.example/next', outcome.status);
    case 'error-response':
      return Response.error();
    case 'middleware-next':
      return new Response(null, { headers: { 'x-middleware-next': '1' } });
    case 'value':
      return outcome.value;
    case 'throw':
      return undefined;
  }
}

const entries = (headers: Headers) => [...headers].filter(([name]) => !TRACE_HEADERS.has(name));

/** An attribute value an OTLP exporter sends as it is. */
function isSendable(value: unknown): boolean {
  const scalar = (v: unknown) =>
    typeof v === 'string' ||
    typeof v === 'boolean' ||
    (typeof v === 'number' && Number.isFinite(v));
  return scalar(value) || (Array.isArray(value) && value.every(scalar));
}

describe('withTracing and withEdgeTracing over arbitrary requests and handlers', () => {
  let setup: TestTracing;
  beforeAll(() => {
    setup = setupTracing();
  });
  afterAll(async () => {
    await setup.teardown();
  });

  it('pass the request, result and throw through unchanged, adding only trace headers', async () => {
    await fc.assert(
      fc.asyncProperty(
        requests,
        outcomes,
        fc.constantFrom('route', 'route without a template', 'middleware'),
        fc.boolean(),
        async (given, outcome, wrapper, sync) => {
          // counted anew for each run: a failed run leaves its span behind, and shrinking reruns
          const recorded = (await setup.spans()).length;
          const query =
            given.query === undefined ? '' : `?${new URLSearchParams(given.query).toString()}`;
          const path = `/${given.path.map(encodeURIComponent).join('/')}`;
          const request = new Request(`${given.origin}${path}${query}`, {
            method: given.method,
            headers: given.headers,
          });
          const requestHeadersBefore = [...request.headers];
          const thrown = outcome.kind === 'throw' ? outcome.value : undefined;
          const result = resultOf(outcome);
          const before = result instanceof Response ? entries(result.headers) : undefined;
          let received: unknown;
          const handler = (req: Request) => {
            received = req;
            if (outcome.kind === 'throw') throw thrown;
            return result;
          };
          const body = sync ? handler : async (req: Request) => handler(req);
          // middleware gets Next.js's event too, whose waitUntil the flush may go to
          const event = { waitUntil: (_promise: Promise<unknown>) => {} };
          const wrapped =
            wrapper === 'middleware'
              ? (req: Request) => withEdgeTracing(body)(req, event)
              : withTracing(body, wrapper === 'route' ? { route: '/api/[id]' } : undefined);

          let settled: { value: unknown } | { error: unknown };
          try {
            settled = { value: await wrapped(request) };
          } catch (error) {
            settled = { error };
          }

          expect(received).toBe(request);
          expect([...request.headers]).toEqual(requestHeadersBefore);
          if (outcome.kind === 'throw') {
            expect(settled).toEqual({ error: thrown });
            expect((settled as { error: unknown }).error).toBe(thrown);
          } else {
            expect(settled).toHaveProperty('value');
            expect((settled as { value: unknown }).value).toBe(result);
          }
          if (result instanceof Response && before !== undefined) {
            expect(entries(result.headers)).toEqual(before);
            if (outcome.kind === 'response') {
              expect(result.status).toBe(outcome.status);
              const expected = NULL_BODY_STATUSES.has(outcome.status) ? '' : (outcome.body ?? '');
              expect(await result.text()).toBe(expected);
            }
          }

          const spans = await setup.spans();
          const own = spans.slice(recorded);
          expect(own).toHaveLength(1);
          const span = own[0]!;
          expect(span.kind).toBe(SpanKind.SERVER);
          for (const value of Object.values(span.attributes as Attributes)) {
            expect(isSendable(value)).toBe(true);
          }
          const status = result instanceof Response ? result.status : undefined;
          if (status !== undefined && status >= 500) {
            expect(span.status.code).toBe(SpanStatusCode.ERROR);
          }
          if (outcome.kind === 'response' && outcome.status < 500) {
            expect(span.status.code).not.toBe(SpanStatusCode.ERROR);
          }
          if (thrown instanceof Error) expect(span.status.code).toBe(SpanStatusCode.ERROR);
        },
      ),
      { numRuns: 150 },
    );
  });
});
