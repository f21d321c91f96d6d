// A loopback OTLP/HTTP receiver for the JSON protocol (OTEL_EXPORTER_OTLP_PROTOCOL=http/json):
// enough of a collector for the end-to-end test and `npm run demo`. Each received span is
// flattened into { traceId, spanId, parentSpanId, name, kind, attributes, status, service, runtime,
// … }.
import { createServer } from 'node:http';

function anyValue(value) {
  if (value === undefined || value === null) return undefined;
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return value.doubleValue;
  if ('arrayValue' in value) return (value.arrayValue.values ?? []).map(anyValue);
  if ('kvlistValue' in value) return attributes(value.kvlistValue.values);
  return undefined;
}

function attributes(list = []) {
  const out = {};
  for (const { key, value } of list) out[key] = anyValue(value);
  return out;
}

/** The spans of one ExportTraceServiceRequest in JSON, flattened. */
export function flattenTraceRequest(body) {
  const spans = [];
  for (const resourceSpans of body.resourceSpans ?? []) {
    const resource = attributes(resourceSpans.resource?.attributes);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        spans.push({
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId || undefined,
          name: span.name,
          kind: span.kind,
          startNanos: BigInt(span.startTimeUnixNano),
          endNanos: BigInt(span.endTimeUnixNano),
          attributes: attributes(span.attributes),
          status: span.status ?? {},
          events: (span.events ?? []).map((e) => e.name),
          service: resource['service.name'],
          runtime: resource['process.runtime.name'],
          scope: scopeSpans.scope?.name,
        });
      }
    }
  }
  return spans;
}

/**
 * Starts the receiver on 127.0.0.1 (port 0: a free one). `onSpans(spans)` is called per request.
 * Resolves to { url, spans, close() }: `spans` accumulates everything received.
 */
export async function startOtlpReceiver({ port = 0, onSpans, delayMillis = 0 } = {}) {
  const received = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url.startsWith('/v1/traces')) {
        res.writeHead(404).end();
        return;
      }
      try {
        const spans = flattenTraceRequest(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        received.push(...spans);
        onSpans?.(spans);
        // a collector that takes its time to answer (delayMillis)
        setTimeout(
          () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
          delayMillis,
        );
      } catch (error) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(String(error));
      }
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address();
  return {
    url: `http://127.0.0.1:${bound}`,
    spans: received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
