/**
 * OpenTelemetry's own instrumentations under `registerTracing`: `@opentelemetry/instrumentation-http`
 * (Node's `http`) and `@opentelemetry/instrumentation-undici` (Node's `fetch`), as a Next.js app
 * adds them (or `@prisma/instrumentation`, built the same way) for what spanlite does not trace.
 * Their spans are recorded by spanlite's provider under the request's span, their trace headers
 * come from spanlite's propagator, and the OTLP exporter's own requests are not traced.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import type { FinishedSpan } from '@spanlite/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  flattenTraceRequest,
  type ReceivedSpan,
} from '../../../examples/next-app/scripts/otlp-receiver.mjs';
import { uninstrumentFetch } from '../src/instrument-fetch';
import { registerTracing, type TracingHandle } from '../src/register-tracing';
import { setTracingState } from '../src/tracing-state';
import { withTracing } from '../src/with-tracing';
import { setupTracing, type TestTracing } from './setup-tracing';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A loopback server (made with `make`, the patched module's or the plain one) that records each request's headers. */
async function listen(
  make: typeof createServer,
  answer = 'downstream',
): Promise<{ url: string; received: IncomingHttpHeaders[]; bodies: string[] }> {
  const received: IncomingHttpHeaders[] = [];
  const bodies: string[] = [];
  const server: Server = make((request, response) => {
    received.push(request.headers);
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      bodies.push(body);
      response.end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, bodies };
}

function byScope(spans: FinishedSpan[], scope: string): FinishedSpan[] {
  return spans.filter((span) => span.instrumentationScope.name === scope);
}

describe('@opentelemetry/instrumentation-http', () => {
  it('records http.get inside a traced handler as a client span under it, and the server it calls continues the trace', async () => {
    const instrumentation = new HttpInstrumentation();
    cleanups.push(() => instrumentation.disable());
    const setup: TestTracing = setupTracing({ instrumentations: [instrumentation] });
    cleanups.push(() => setup.teardown());
    // `require` goes through the hook the instrumentation patches modules with
    const http = createRequire(import.meta.url)('node:http') as typeof import('node:http');
    const downstream = await listen(http.createServer);

    const handler = withTracing(
      async () => {
        const body = await new Promise<string>((resolve, reject) => {
          http
            .get(`${downstream.url}/stock`, (response) => {
              let text = '';
              response.on('data', (chunk) => {
                text += chunk;
              });
              response.on('end', () => resolve(text));
            })
            .on('error', reject);
        });
        return new Response(body);
      },
      { route: '/api/items' },
    );
    const response = await handler(
      new Request('http://app.test/api/items', { headers: { traceparent: TRACEPARENT } }),
    );
    expect(await response.text()).toBe('downstream');

    const spans = await setup.spans();
    const server = spans.find((span) => span.name === 'GET /api/items')!;
    const [client] = byScope(spans, '@opentelemetry/instrumentation-http').filter(
      (span) => span.kind === SpanKind.CLIENT,
    );
    const [downstreamServer] = byScope(spans, '@opentelemetry/instrumentation-http').filter(
      (span) => span.kind === SpanKind.SERVER,
    );
    expect(client).toBeDefined();
    expect(client!.spanContext().traceId).toBe(TRACE_ID);
    expect(client!.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    // the header came from spanlite's propagator, for the client span
    expect(downstream.received[0]!.traceparent).toBe(
      `00-${TRACE_ID}-${client!.spanContext().spanId}-01`,
    );
    expect(downstreamServer!.parentSpanContext?.spanId).toBe(client!.spanContext().spanId);
    expect(downstreamServer!.spanContext().traceId).toBe(TRACE_ID);
  });
});

describe('@opentelemetry/instrumentation-undici', () => {
  let handle: TracingHandle | undefined;

  function register(
    collector: string,
    instrumentFetch: boolean,
    propagateTo?: string[],
    instrumentation = new UndiciInstrumentation(),
  ): TracingHandle {
    cleanups.push(() => instrumentation.disable());
    handle = registerTracing({
      serviceName: 'undici-test',
      instrumentations: [instrumentation],
      instrumentFetch,
      propagateTo,
      // the OTLP exporter, over fetch, to a loopback collector
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' },
    });
    cleanups.push(async () => {
      await handle?.shutdown();
      uninstrumentFetch();
      setTracingState(undefined);
      trace.disable();
      context.disable();
      propagation.disable();
    });
    return handle;
  }

  /** The spans the collector received, from OTLP/JSON bodies. */
  function exported(bodies: string[]): ReceivedSpan[] {
    return bodies.flatMap((body) => flattenTraceRequest(JSON.parse(body)));
  }

  it("records fetch inside a traced handler under it; the exporter's own requests are not traced", async () => {
    const collector = await listen(createServer, '{}');
    const downstream = await listen(createServer);
    register(collector.url, false);
    const handler = withTracing(
      async () => new Response(await (await fetch(`${downstream.url}/stock`)).text()),
      { route: '/api/items' },
    );
    const response = await handler(
      new Request('http://app.test/api/items', { headers: { traceparent: TRACEPARENT } }),
    );
    expect(await response.text()).toBe('downstream');
    // twice: the second export would carry the first one's span, were it traced
    expect(await handle!.forceFlush()).toBe('success');
    expect(await handle!.forceFlush()).toBe('success');

    const spans = exported(collector.bodies);
    const server = spans.find((span) => span.name === 'GET /api/items')!;
    const clients = spans.filter((span) => span.scope === '@opentelemetry/instrumentation-undici');
    expect(clients).toHaveLength(1);
    expect(clients[0]).toMatchObject({ traceId: TRACE_ID, parentSpanId: server.spanId });
    expect(clients[0]!.attributes['url.full']).toBe(`${downstream.url}/stock`);
    expect(downstream.received[0]!.traceparent).toBe(`00-${TRACE_ID}-${clients[0]!.spanId}-01`);
    // the collector was sent no trace header: the exporter's requests are not traced
    expect(collector.received.every((headers) => headers.traceparent === undefined)).toBe(true);
  });

  it("with spanlite's fetch tracing on too, the call has spanlite's client span and traceparent alone", async () => {
    const collector = await listen(createServer, '{}');
    const downstream = await listen(createServer);
    const elsewhere = await listen(createServer);
    register(collector.url, true, [downstream.url]);
    const handler = withTracing(
      async () => {
        await (await fetch(`${downstream.url}/stock`)).text();
        // not in propagateTo: no trace header, from either instrumentation
        return new Response(await (await fetch(`${elsewhere.url}/ads`)).text());
      },
      { route: '/api/items' },
    );
    await handler(
      new Request('http://app.test/api/items', { headers: { traceparent: TRACEPARENT } }),
    );
    expect(await handle!.forceFlush()).toBe('success');

    const spans = exported(collector.bodies);
    const server = spans.find((span) => span.name === 'GET /api/items')!;
    const clients = spans.filter((span) => span.kind === 3);
    expect(clients.map((span) => [span.scope, span.parentSpanId])).toEqual([
      ['@spanlite/next', server.spanId],
      ['@spanlite/next', server.spanId],
    ]);
    expect(downstream.received[0]!.traceparent).toBe(`00-${TRACE_ID}-${clients[0]!.spanId}-01`);
    expect(elsewhere.received[0]!.traceparent).toBeUndefined();
  });

  it("leaves alone a request with the exporter's User-Agent outside suppression (an edge sandbox's export, made on the host's fetch), and the instrumentation's own hook still applies", async () => {
    const collector = await listen(createServer, '{}');
    const downstream = await listen(createServer);
    const instrumentation = new UndiciInstrumentation({
      ignoreRequestHook: (request) => request.path.startsWith('/health'),
    });
    register(collector.url, false, undefined, instrumentation);
    const handler = withTracing(
      async () => {
        const agent = { 'user-agent': 'spanlite-otlp-exporter-javascript/0.1.0' };
        await (
          await fetch(`${downstream.url}/v1/traces`, { method: 'POST', headers: agent })
        ).text();
        await (await fetch(`${downstream.url}/health`)).text();
        return new Response(await (await fetch(`${downstream.url}/stock`)).text());
      },
      { route: '/api/items' },
    );
    await handler(
      new Request('http://app.test/api/items', { headers: { traceparent: TRACEPARENT } }),
    );
    expect(await handle!.forceFlush()).toBe('success');

    const clients = exported(collector.bodies).filter(
      (span) => span.scope === '@opentelemetry/instrumentation-undici',
    );
    expect(clients.map((span) => span.attributes['url.full'])).toEqual([`${downstream.url}/stock`]);
    expect(downstream.received.map((headers) => headers.traceparent !== undefined)).toEqual([
      false,
      false,
      true,
    ]);
  });
});
