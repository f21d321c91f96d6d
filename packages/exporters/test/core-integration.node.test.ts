import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BatchSpanProcessor, SimpleSpanProcessor, TracerProvider } from '@spanlite/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InMemorySpanExporter } from '../src/in-memory-span-exporter';
import { OtlpTraceExporter } from '../src/otlp/otlp-trace-exporter';
import { canonicalBody } from './fixtures/decode-otlp';
import { type Collector, startCollector } from './fixtures/loopback-collector';
import { expectedRequest } from './fixtures/otlp-canonical';

describe('end to end: core TracerProvider → BatchSpanProcessor → OtlpTraceExporter → collector', () => {
  let collector: Collector;
  beforeEach(async () => {
    collector = await startCollector();
  });
  afterEach(() => collector.close());

  it.each(['http/protobuf', 'http/json'] as const)(
    'delivers what the tracer recorded (%s)',
    async (protocol) => {
      const otlp = new OtlpTraceExporter({
        env: {},
        url: collector.url,
        protocol,
        compression: 'gzip',
      });
      const memory = new InMemorySpanExporter();
      const provider = new TracerProvider({
        env: {},
        serviceName: 'e2e',
        resource: { 'deployment.environment': 'test' },
        spanProcessors: [
          new BatchSpanProcessor(otlp, { env: {}, scheduledDelayMillis: 5 }),
          new SimpleSpanProcessor(memory),
        ],
      });
      const tracer = provider.getTracer('@acme/e2e', '2.0.0');
      const other = provider.getTracer('other');
      for (let i = 0; i < 30; i++) {
        const root = tracer.startSpan(`request ${i}`, {
          kind: SpanKind.SERVER,
          attributes: { 'http.route': '/r', n: i, ratio: i / 3, flag: i % 2 === 0, tags: ['x'] },
        });
        const child = other.startSpan(
          'work',
          { links: [{ context: root.spanContext(), attributes: { why: 'test' } }] },
          trace.setSpan(ROOT_CONTEXT, root),
        );
        child.addEvent('step', { i });
        child.setStatus({ code: SpanStatusCode.ERROR, message: 'nope' });
        child.end();
        root.end();
      }
      await provider.forceFlush();
      const finished = memory.getFinishedSpans();
      await provider.shutdown();
      expect(finished).toHaveLength(60);
      const delivered = collector.received.flatMap((request) =>
        canonicalBody(request.body, protocol).resourceSpans.flatMap((rs: any) =>
          rs.scopeSpans.flatMap((ss: any) => ss.spans),
        ),
      );
      expect(delivered).toHaveLength(60);
      const expectedSpans = expectedRequest(finished).resourceSpans.flatMap((rs: any) =>
        rs.scopeSpans.flatMap((ss: any) => ss.spans),
      );
      const byId = (list: any[]) => [...list].sort((a, b) => a.spanId.localeCompare(b.spanId));
      expect(byId(delivered)).toEqual(byId(expectedSpans));
      const first = canonicalBody(collector.received[0]!.body, protocol).resourceSpans[0];
      expect(first.resource.attributes).toContainEqual({
        key: 'service.name',
        value: { stringValue: 'e2e' },
      });
      expect(otlp.stats).toMatchObject({ exportedSpans: 60, droppedSpans: 0 });
    },
  );
});

describe('end to end: AnyValue attributes (common/README.md, "Attribute": any AnyValue)', () => {
  let collector: Collector;
  beforeEach(async () => {
    collector = await startCollector();
  });
  afterEach(() => collector.close());

  it.each(['http/protobuf', 'http/json'] as const)(
    'carries maps, mixed arrays, byte arrays and empty values as OTLP AnyValue (%s)',
    async (protocol) => {
      const otlp = new OtlpTraceExporter({ env: {}, url: collector.url, protocol });
      const provider = new TracerProvider({
        env: {},
        spanProcessors: [new SimpleSpanProcessor(otlp)],
      });
      const span = provider.getTracer('t').startSpan('s');
      span.setAttributes({
        user: { id: 7, tags: ['a', null] },
        mixed: ['a', 1, true],
        payload: new Uint8Array([104, 105]),
        empty: null,
      } as never);
      span.end();
      await provider.shutdown();
      const [delivered] = canonicalBody(collector.received[0]!.body, protocol).resourceSpans[0]
        .scopeSpans[0].spans;
      const attributes = Object.fromEntries(
        delivered.attributes.map((kv: any) => [kv.key, kv.value]),
      );
      // (the canonical form of decode-otlp.ts: repeated values as lists, bytes as hex)
      expect(attributes).toEqual({
        user: {
          kvlistValue: [
            { key: 'id', value: { intValue: '7' } },
            { key: 'tags', value: { arrayValue: [{ stringValue: 'a' }, {}] } },
          ],
        },
        mixed: { arrayValue: [{ stringValue: 'a' }, { intValue: '1' }, { boolValue: true }] },
        payload: { bytesValue: '6869' },
        empty: {},
      });
    },
  );
});
