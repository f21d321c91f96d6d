import {
  type Context,
  context,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { type ExportResult, ExportResultCode, type FinishedSpan } from '@spanlite/core';
import { describe, expect, it } from 'vitest';
import { toSdkTraceBaseExporter } from '../src/interop/sdk-trace-base-adapter';
import { encodeJsonTraceRequest } from '../src/otlp/encode-json';
import { encodeProtobufTraceRequest } from '../src/otlp/encode-protobuf';
import { canonicalBody, decodeProtobufRequest } from './fixtures/decode-otlp';
import { legacySpan } from './fixtures/legacy-span';

/** Records spans with the reference SDK, handing them to spanlite through the interop adapter. */
async function recordWithReferenceSdk() {
  const received: FinishedSpan[] = [];
  const readable: ReadableSpan[] = [];
  const adapter = toSdkTraceBaseExporter({
    export(spans: FinishedSpan[], done: (result: ExportResult) => void) {
      received.push(...spans);
      done({ code: ExportResultCode.SUCCESS });
    },
    shutdown: async () => {},
  });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'diff',
      'service.instance.id': 'i-1',
      cpus: 4,
    }),
    spanProcessors: [
      new BatchSpanProcessor(adapter, { scheduledDelayMillis: 1 }),
      {
        onStart() {},
        onEnd(span: ReadableSpan) {
          readable.push(span);
        },
        forceFlush: async () => {},
        shutdown: async () => {},
      },
    ],
  });
  const http = provider.getTracer('@acme/http', '1.0.0', {
    schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
  });
  const db = provider.getTracer('db');
  const remoteParent = trace.setSpanContext(context.active(), {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: new TraceState('vendor=abc,x=y'),
  });
  for (let i = 0; i < 20; i++) {
    const root = http.startSpan(
      `GET /item/${i} ✓`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.method': 'GET',
          'http.status_code': 200 + i,
          ratio: i / 7,
          ok: i % 2 === 0,
          tags: ['a', `b${i}`],
          ints: [1, -2, 2 ** 40],
          big: -(2 ** 45) - i,
        },
        links: [
          {
            context: {
              traceId: 'f'.repeat(32),
              spanId: '1'.repeat(16),
              traceFlags: 0,
              isRemote: true,
            },
            attributes: { why: 'batch' },
          },
        ],
      },
      i % 3 === 0 ? remoteParent : context.active(),
    );
    const ctx: Context = trace.setSpan(context.active(), root);
    const child = db.startSpan('SELECT', { kind: SpanKind.CLIENT, attributes: { rows: i } }, ctx);
    child.addEvent('fetched', { count: i });
    child.setStatus({ code: SpanStatusCode.ERROR, message: `boom ${i}` });
    child.end();
    root.setStatus({ code: SpanStatusCode.OK });
    root.recordException(new Error('handled'));
    root.end();
  }
  await provider.forceFlush();
  await provider.shutdown();
  return { received, readable };
}

describe('differential: spanlite vs @opentelemetry/otlp-transformer, same spans', () => {
  it('protobuf bodies decode to the same message', async () => {
    const { received, readable } = await recordWithReferenceSdk();
    expect(received).toHaveLength(40);
    // The BatchSpanProcessor may reorder nothing, but compare in one order to be sure.
    const order = new Map(readable.map((s, i) => [s.spanContext().spanId, i]));
    received.sort(
      (a, b) => order.get(a.spanContext().spanId)! - order.get(b.spanContext().spanId)!,
    );
    const ours = encodeProtobufTraceRequest(received);
    const theirs = ProtobufTraceSerializer.serializeRequest(readable)!;
    expect(decodeProtobufRequest(ours)).toEqual(decodeProtobufRequest(theirs));
    // Same information, and no more bytes for it.
    expect(ours.length).toBeLessThanOrEqual(theirs.length);
  });

  it('JSON bodies carry the same request', async () => {
    const { received, readable } = await recordWithReferenceSdk();
    const order = new Map(readable.map((s, i) => [s.spanContext().spanId, i]));
    received.sort(
      (a, b) => order.get(a.spanContext().spanId)! - order.get(b.spanContext().spanId)!,
    );
    const ours = canonicalBody(encodeJsonTraceRequest(received), 'http/json');
    const theirs = canonicalBody(JsonTraceSerializer.serializeRequest(readable)!, 'http/json');
    expect(ours).toEqual(theirs);
  });

  it('converts 1.x-shaped spans (parentSpanId, instrumentationLibrary)', () => {
    let got: FinishedSpan[] = [];
    const adapter = toSdkTraceBaseExporter({
      export(spans: FinishedSpan[], done: (result: ExportResult) => void) {
        got = spans;
        done({ code: ExportResultCode.SUCCESS });
      },
      shutdown: async () => {},
    });
    const legacy = legacySpan('b'.repeat(16), { parentSpanId: 'c'.repeat(16) });
    let result: ExportResult | undefined;
    adapter.export([legacy], (r) => (result = r));
    expect(result?.code).toBe(ExportResultCode.SUCCESS);
    expect(got[0]!.parentSpanContext?.spanId).toBe('c'.repeat(16));
    expect(got[0]!.instrumentationScope).toEqual({ name: 'old', version: '0.1' });
    expect(got[0]!.name).toBe('legacy');
  });
});
