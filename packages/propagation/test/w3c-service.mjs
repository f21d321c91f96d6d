#!/usr/bin/env node
// The W3C Trace Context test service (the protocol of https://github.com/w3c/trace-context/tree/main/test):
// `POST /test` takes a JSON array of `{ "url", "arguments" }`; for each element, in order, this service
// POSTs `arguments` as JSON to `url`, carrying the trace context of a new child span of the incoming
// request, then answers 200. It runs spanlite's real tracer (@spanlite/core's TracerProvider) and its
// propagator (OTEL_PROPAGATORS, default W3C Trace Context + Baggage) from the built packages.
//
//   npm run build && PORT=5000 node packages/propagation/test/w3c-service.mjs
//
// It prints `listening on http://127.0.0.1:<port>` once ready (PORT=0 picks a free port).
import { createServer } from 'node:http';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { TracerProvider } from '@spanlite/core';
import { objectGetter, objectSetter, propagatorFromEnv } from '@spanlite/propagation';

const provider = new TracerProvider({ serviceName: 'spanlite-w3c-test-service' });
const tracer = provider.getTracer('spanlite-w3c-test-service');
const propagator = propagatorFromEnv();
const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 5000);

async function readJson(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function handleTest(request, response) {
  let cases;
  try {
    cases = await readJson(request);
    if (!Array.isArray(cases)) throw new TypeError('the body is not an array');
  } catch (error) {
    response.writeHead(400).end(String(error));
    return;
  }
  const parent = propagator.extract(context.active(), request.headers, objectGetter);
  const server = tracer.startSpan('POST /test', { kind: SpanKind.SERVER }, parent);
  const serverContext = trace.setSpan(parent, server);
  try {
    for (const { url, arguments: args } of cases) {
      const client = tracer.startSpan('POST', { kind: SpanKind.CLIENT }, serverContext);
      const headers = { 'content-type': 'application/json' };
      propagator.inject(trace.setSpan(serverContext, client), headers, objectSetter);
      try {
        const answer = await fetch(url, { method: 'POST', headers, body: JSON.stringify(args) });
        await answer.arrayBuffer();
      } catch {
        // The harness tolerates a callee that does not answer; carry on with the next case.
      } finally {
        client.end();
      }
    }
  } finally {
    server.end();
  }
  response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
}

const httpServer = createServer((request, response) => {
  if (request.method === 'POST' && request.url === '/test') {
    handleTest(request, response).catch((error) => {
      if (!response.headersSent) response.writeHead(500).end(String(error));
    });
    return;
  }
  response.writeHead(404).end();
});

httpServer.listen(port, host, () => {
  const address = httpServer.address();
  process.stdout.write(`listening on http://${host}:${address.port}\n`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    httpServer.close();
    provider.shutdown().finally(() => process.exit(0));
  });
}
