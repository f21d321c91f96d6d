/**
 * End to end: real exporters (spanlite's and the reference SDK's, protobuf and JSON, plain and
 * gzip) send to a loopback server that hands each body to `receiveTraces`; what it stores must be
 * what the SDK recorded.
 */
import {
  type Attributes,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { OTLPTraceExporter as ReferenceHttpExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ReferenceProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter as ReferenceMemoryExporter,
  SimpleSpanProcessor as ReferenceSimpleProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  BatchSpanProcessor,
  type FinishedSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@spanlite/core';
import { InMemorySpanExporter, OtlpTraceExporter } from '@spanlite/exporters';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredSpan } from '../src/model';
import {
  comparable,
  expectedSpan,
  expectedTimes,
  largestDifference,
  type ReadableSpanLike,
  storedTimes,
} from './fixtures/expected-span';
import { type LoopbackReceiver, startLoopbackReceiver } from './fixtures/loopback-receiver';

/** Attribute values every SDK accepts. */
const PORTABLE_ATTRIBUTES: Attributes = {
  'http.route': '/api/cart/:id',
  'http.status_code': 200,
  negative: -42,
  large: 2 ** 40 + 3,
  ratio: 0.125,
  cached: true,
  missed: false,
  unicode: 'Grüße, 世界 🚀',
  empty: '',
  strings: ['a', 'b', ''],
  numbers: [1, 2, 3],
  doubles: [1.5, -2.25],
  flags: [true, false],
};

/** Records the same little trace through any `@opentelemetry/api` tracer. */
function recordTrace(tracer: Tracer, extraRootAttributes: Record<string, unknown> = {}): void {
  const root = tracer.startSpan('GET /api/cart', {
    kind: SpanKind.SERVER,
    attributes: { ...PORTABLE_ATTRIBUTES, ...(extraRootAttributes as Attributes) },
  });
  const parent = trace.setSpan(ROOT_CONTEXT, root);
  const query = tracer.startSpan(
    'SELECT cart',
    {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system': 'postgresql' },
      links: [{ context: root.spanContext(), attributes: { 'link.reason': 'retry', n: 2 } }],
    },
    parent,
  );
  query.addEvent('exception', { 'exception.message': 'card declined', attempt: 3 });
  query.addEvent('retry');
  query.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
  query.end();
  for (const kind of [SpanKind.INTERNAL, SpanKind.PRODUCER, SpanKind.CONSUMER]) {
    tracer.startSpan(`kind ${kind}`, { kind }, parent).end();
  }
  root.setStatus({ code: SpanStatusCode.OK });
  root.end();
}

function expectStoredAsRecorded(stored: StoredSpan[], recorded: readonly ReadableSpanLike[]) {
  expect(stored).toHaveLength(recorded.length);
  const bySpanId = new Map(stored.map((span) => [span.spanId, span]));
  for (const span of recorded) {
    const got = bySpanId.get(span.spanContext().spanId);
    expect(got, `span ${span.name}`).toBeDefined();
    expect(comparable(got!)).toEqual(expectedSpan(span));
    // Times to the microsecond.
    expect(largestDifference(storedTimes(got!), expectedTimes(span))).toBeLessThan(0.001);
  }
}

/** A request's context arriving with a `traceparent`: a sampled parent in another process. */
const REMOTE_PARENT = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: '5b8efff798038103d269b633813fc60c',
  spanId: 'eee19b7ec3c1b174',
  traceFlags: 1,
  isRemote: true,
});
const LIMITS = { attributeCountLimit: 2, eventCountLimit: 1, linkCountLimit: 1 };

/**
 * Under `LIMITS`: a server span continuing `REMOTE_PARENT` with 5 attributes, 3 events and 2 links
 * (3, 2 and 1 over the limits), and a local child.
 */
function recordRemoteTrace(tracer: Tracer): void {
  const link = { context: trace.getSpanContext(REMOTE_PARENT)! };
  const server = tracer.startSpan(
    'GET /api/cart',
    {
      kind: SpanKind.SERVER,
      attributes: { a: 1, b: 2, c: 3, d: 4, e: 5 },
      links: [link, link],
    },
    REMOTE_PARENT,
  );
  for (const name of ['one', 'two', 'three']) server.addEvent(name);
  tracer.startSpan('SELECT cart', {}, trace.setSpan(ROOT_CONTEXT, server)).end();
  server.end();
}

function expectFlagsAndDroppedCounts(stored: StoredSpan[]): void {
  const server = stored.find((span) => span.name === 'GET /api/cart');
  const child = stored.find((span) => span.name === 'SELECT cart');
  expect(server).toMatchObject({
    parentSpanId: 'eee19b7ec3c1b174',
    flags: 0x301, // sampled; the parent's remoteness known (bit 8), and remote (bit 9)
    droppedAttributesCount: 3,
    droppedEventsCount: 2,
    droppedLinksCount: 1,
  });
  expect(child).toMatchObject({
    parentSpanId: server!.spanId,
    flags: 0x101,
    droppedAttributesCount: undefined,
    droppedEventsCount: undefined,
    droppedLinksCount: undefined,
  });
}

/** A finished span as any span source may hand the exporter, with values core's API does not make. */
function handMadeSpan(attributes: Record<string, unknown>): FinishedSpan {
  const context = {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: 1,
  };
  return {
    name: 'hand-made',
    kind: SpanKind.INTERNAL,
    spanContext: () => context,
    parentSpanContext: undefined,
    startTime: [1_763_900_000, 123_456_789],
    endTime: [1_763_900_000, 223_456_789],
    duration: [0, 100_000_000],
    status: { code: SpanStatusCode.UNSET },
    attributes: attributes as Attributes,
    links: [],
    events: [],
    ended: true,
    resource: {
      attributes: { 'service.name': 'hand-made', tier: { a: 1 } } as unknown as Attributes,
    },
    instrumentationScope: { name: 'hand' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

describe('receiveTraces with real exporters over loopback HTTP', () => {
  let receiver: LoopbackReceiver;
  beforeEach(async () => {
    receiver = await startLoopbackReceiver();
  });
  afterEach(() => receiver.close());

  describe.each([
    ['http/protobuf', 'none'],
    ['http/protobuf', 'gzip'],
    ['http/json', 'none'],
    ['http/json', 'gzip'],
  ] as const)("spanlite's OtlpTraceExporter (%s, %s)", (protocol, compression) => {
    it('stores every span as recorded, with attributes of every type', async () => {
      const exporter = new OtlpTraceExporter({ env: {}, url: receiver.url, protocol, compression });
      const memory = new InMemorySpanExporter();
      const provider = new TracerProvider({
        env: {},
        serviceName: 'checkout',
        resource: { 'deployment.environment': 'test', 'host.cores': 2 },
        spanProcessors: [
          new BatchSpanProcessor(exporter, { env: {}, scheduledDelayMillis: 5 }),
          new SimpleSpanProcessor(memory),
        ],
      });
      recordTrace(provider.getTracer('@acme/cart', '1.2.3'), { gaps: ['a', null, 'c'] });
      recordTrace(provider.getTracer('no-version'));
      await provider.forceFlush();
      const recorded = memory.getFinishedSpans();
      await provider.shutdown();

      expect(receiver.results.every((r) => r.status === 200 && r.rejected === 0)).toBe(true);
      expect(exporter.stats).toMatchObject({ rejectedSpans: 0, failedExports: 0 });
      expect(receiver.headers[0]!['content-encoding']).toBe(
        compression === 'gzip' ? 'gzip' : undefined,
      );
      expectStoredAsRecorded(receiver.spans, recorded as unknown as ReadableSpanLike[]);
      const root = receiver.spans.find(
        (s) => s.name === 'GET /api/cart' && s.scope.name === '@acme/cart',
      )!;
      expect(root.scope).toEqual({ name: '@acme/cart', version: '1.2.3' });
      expect(root.attributes.gaps).toEqual(['a', null, 'c']);
      expect(root.service).toBe('checkout');
      expect(root.resource['host.cores']).toBe(2);
    });
  });

  it.each(['http/protobuf', 'http/json'] as const)(
    "keeps the nested values and bytes spanlite's exporter encodes (%s)",
    async (protocol) => {
      // core's API only makes primitives and arrays; the exporter also encodes what other span
      // sources hand it: nested objects as kvlist_value, Uint8Array as bytes_value.
      const exporter = new OtlpTraceExporter({ env: {}, url: receiver.url, protocol });
      const span = handMadeSpan({
        nested: { region: 'eu', shard: 7, deeper: { ok: true, list: [1, 'two'] } },
        bytes: new Uint8Array([0, 1, 2, 250, 255]),
      });
      const result = await new Promise((resolve) => exporter.export([span], resolve));
      await exporter.shutdown();
      expect(result).toEqual({ code: 0 });
      expect(receiver.spans).toHaveLength(1);
      expect(receiver.spans[0]!.attributes).toEqual({
        nested: { region: 'eu', shard: 7, deeper: { ok: true, list: [1, 'two'] } },
        bytes: 'AAEC+v8=',
      });
      expect(receiver.spans[0]!.resource).toEqual({ 'service.name': 'hand-made', tier: { a: 1 } });
    },
  );

  it.each(['http/protobuf', 'http/json'] as const)(
    "keeps the span flags and dropped counts spanlite's OtlpTraceExporter sends (%s)",
    async (protocol) => {
      const exporter = new OtlpTraceExporter({ env: {}, url: receiver.url, protocol });
      const provider = new TracerProvider({
        env: {},
        serviceName: 'limited',
        spanLimits: LIMITS,
        spanProcessors: [new SimpleSpanProcessor(exporter)],
      });
      recordRemoteTrace(provider.getTracer('@acme/limited'));
      await provider.forceFlush();
      await provider.shutdown();
      expect(receiver.results.map((r) => r.status)).toEqual([200, 200]);
      expectFlagsAndDroppedCounts(receiver.spans);
    },
  );

  it.each([
    '@opentelemetry/exporter-trace-otlp-proto',
    '@opentelemetry/exporter-trace-otlp-http',
  ] as const)('keeps the span flags and dropped counts the reference %s sends', async (which) => {
    const Exporter = which.endsWith('proto') ? ReferenceProtoExporter : ReferenceHttpExporter;
    const provider = new BasicTracerProvider({
      spanLimits: LIMITS,
      spanProcessors: [new ReferenceSimpleProcessor(new Exporter({ url: receiver.url }))],
    });
    recordRemoteTrace(provider.getTracer('@acme/limited'));
    await provider.forceFlush();
    await provider.shutdown();
    expect(receiver.results.map((r) => r.status)).toEqual([200, 200]);
    expectFlagsAndDroppedCounts(receiver.spans);
  });

  it.each([
    ['@opentelemetry/exporter-trace-otlp-proto', 'none'],
    ['@opentelemetry/exporter-trace-otlp-proto', 'gzip'],
    ['@opentelemetry/exporter-trace-otlp-http', 'none'],
    ['@opentelemetry/exporter-trace-otlp-http', 'gzip'],
  ] as const)('stores what the reference %s sends (%s)', async (which, compression) => {
    const Exporter = which.endsWith('proto') ? ReferenceProtoExporter : ReferenceHttpExporter;
    const exporter = new Exporter({
      url: receiver.url,
      compression: compression as never,
    });
    const memory = new ReferenceMemoryExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'reference', 'service.version': '9' }),
      spanProcessors: [
        new ReferenceSimpleProcessor(exporter),
        new ReferenceSimpleProcessor(memory),
      ],
    });
    recordTrace(provider.getTracer('@acme/reference', '0.1.0'));
    await provider.forceFlush();
    const recorded = memory.getFinishedSpans();
    await provider.shutdown();

    expect(receiver.results.map((r) => r.status)).not.toContain(400);
    expect(receiver.headers[0]!['content-type']).toBe(
      which.endsWith('proto') ? 'application/x-protobuf' : 'application/json',
    );
    expectStoredAsRecorded(receiver.spans, recorded as unknown as ReadableSpanLike[]);
    expect(receiver.spans.every((s) => s.service === 'reference')).toBe(true);
  });
});
