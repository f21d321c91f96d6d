import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForEdge, createEdgeVM } from '../../../scripts/edge/edge-suite';
import { canonicalBody } from './fixtures/decode-otlp';
import { richSpan } from './fixtures/finished-spans';
import { type Collector, startCollector } from './fixtures/loopback-collector';
import { expectedRequest } from './fixtures/otlp-canonical';

const entry = fileURLToPath(new URL('./fixtures/edge-export-entry.ts', import.meta.url));

describe('the edge build in the edge VM, exporting over fetch to a loopback collector', () => {
  let collector: Collector;
  let code: string;
  beforeAll(async () => {
    collector = await startCollector();
    code = await bundleForEdge(entry);
  }, 60_000);
  afterAll(() => collector.close());

  it.each(['none', 'gzip'] as const)(
    'delivers a decodable body (compression %s)',
    async (compression) => {
      collector.received.length = 0;
      const vm = createEdgeVM();
      vm.evaluate(code);
      const outcome = await vm.evaluate(
        `__exportFromEdge(${JSON.stringify(collector.url)}, ${JSON.stringify(compression)})`,
      );
      expect(outcome.hasProcess).toBe(false);
      expect(outcome.ok).toBe(true);
      expect(outcome.stats).toMatchObject({ exportedSpans: 1, droppedSpans: 0 });
      const [request] = collector.received;
      // The VM has no CompressionStream: the edge build detects it and sends uncompressed.
      expect(request!.headers['content-encoding']).toBeUndefined();
      const sent = richSpan({ traceId: '0af7651916cd43dd8448eb211c80319c' });
      const decoded = canonicalBody(request!.body, 'http/protobuf');
      // Ids other than the trace id come from a per-bundle counter; compare the rest field by field.
      const span = decoded.resourceSpans[0].scopeSpans[0].spans[0];
      const expected = expectedRequest([sent]).resourceSpans[0].scopeSpans[0].spans[0];
      const withoutIds = (s: any) => ({
        ...s,
        spanId: undefined,
        parentSpanId: undefined,
        links: s.links.map((l: any) => ({ ...l, traceId: undefined, spanId: undefined })),
      });
      expect(span.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(withoutIds(span)).toEqual(withoutIds(expected));
      expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(span.parentSpanId).toMatch(/^[0-9a-f]{16}$/);
    },
  );

  it.each([302, 308])(
    'accepts redirect: "manual": a %s fails the batch, not followed, not retried',
    async (status) => {
      collector.handle((_req, res) => res.writeHead(status, { location: '/v2/traces' }).end());
      collector.attempts = 0;
      const vm = createEdgeVM();
      vm.evaluate(code);
      const outcome = await vm.evaluate(
        `__exportFromEdge(${JSON.stringify(collector.url)}, 'none')`,
      );
      collector.handle((_req, res) => res.writeHead(200).end());
      expect(outcome.ok).toBe(false);
      expect(outcome.stats).toMatchObject({ exportedSpans: 0, droppedSpans: 1, retries: 0 });
      expect(collector.attempts).toBe(1);
    },
  );
});
