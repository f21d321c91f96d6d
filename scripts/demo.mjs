// `npm run demo`: builds examples/next-app (Next.js 16), starts it with `next start` on a free
// loopback port, exporting OTLP/JSON to a small receiver started here that prints each trace as a
// tree (until a local collector replaces it), sends a few requests and prints what arrives.
// Uses the built packages, as a user would.
import { formatTraces } from '@spanlite/exporters';
import { startOtlpReceiver } from '../examples/next-app/scripts/otlp-receiver.mjs';
import { buildApp, startApp } from '../examples/next-app/scripts/start-app.mjs';

const toHrTime = (nanos) => [Number(nanos / 1_000_000_000n), Number(nanos % 1_000_000_000n)];

/** A span as the receiver flattened it, seen as the finished span the console formatter reads. */
function asFinishedSpan(span) {
  const context = { traceId: span.traceId, spanId: span.spanId, traceFlags: 1 };
  return {
    name: span.name,
    kind: Math.max(0, span.kind - 1), // OTLP's kinds start at 1 for INTERNAL
    spanContext: () => context,
    parentSpanContext: span.parentSpanId
      ? { traceId: span.traceId, spanId: span.parentSpanId, traceFlags: 1 }
      : undefined,
    startTime: toHrTime(span.startNanos),
    endTime: toHrTime(span.endNanos),
    duration: toHrTime(span.endNanos - span.startNanos),
    status: { code: span.status.code ?? 0, message: span.status.message },
    attributes: span.attributes,
  };
}

console.log('spanlite demo: building examples/next-app (next build) ...');
await buildApp();
const receiver = await startOtlpReceiver();
const app = await startApp({
  otlpUrl: receiver.url,
  env: { OTEL_PROPAGATORS: 'b3,tracecontext,baggage', OTEL_SERVICE_NAME: 'example-next-app' },
});
console.log(`started on ${app.url}, exporting OTLP/JSON to ${receiver.url}\n`);

const requests = [
  ['/api/items', { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }],
  ['/api/edge', {}],
  ['/api/chain', {}],
  ['/api/error', {}],
];
const traceIds = [];
try {
  // Next.js traces loading each route once; keep that out of the picture.
  for (const [path] of requests) await (await fetch(`${app.url}${path}`)).arrayBuffer();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  receiver.spans.length = 0;

  for (const [path, headers] of requests) {
    const response = await fetch(`${app.url}${path}`, { headers });
    await response.arrayBuffer();
    const traceresponse = response.headers.get('traceresponse');
    traceIds.push(traceresponse?.slice(3, 35));
    const sent = headers.traceparent ? ` (traceparent ${headers.traceparent})` : '';
    console.log(`GET ${path}${sent} → ${response.status}, traceresponse ${traceresponse}`);
  }
  // Each request's spans are flushed after its response; give the last ones a moment.
  let seen = -1;
  while (seen !== receiver.spans.length) {
    seen = receiver.spans.length;
    await new Promise((resolve) => setTimeout(resolve, 750));
  }
  console.log('');
  for (const traceId of traceIds) {
    const spans = receiver.spans.filter((s) => s.traceId === traceId).map(asFinishedSpan);
    for (const text of formatTraces(spans)) console.log(`${text}\n`);
  }
} finally {
  await app.stop();
  await receiver.close();
}
