/**
 * OTLP/HTTP Request (opentelemetry-proto docs/specification.md): "The client SHOULD limit the size
 * of the request body, including before compression, to avoid overwhelming the server. It is
 * RECOMMENDED to use 20 MiB as the default limit." A batch above the limit reaches a loopback
 * collector as several requests, each within it, that decode to every span of the batch.
 */
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode, type FinishedSpan } from '@spanlite/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OtlpTraceExporter, type OtlpTraceExporterOptions } from '../src/otlp/otlp-trace-exporter';
import { canonicalBody } from './fixtures/decode-otlp';
import { finishedSpan, richSpan } from './fixtures/finished-spans';
import { type Collector, startCollector } from './fixtures/loopback-collector';
import { type Canonical, expectedRequest } from './fixtures/otlp-canonical';

const MiB = 1024 * 1024;

let collector: Collector;
let diagMessages: string[];

beforeEach(async () => {
  collector = await startCollector();
  diagMessages = [];
  const log = (message: string) => diagMessages.push(message);
  diag.setLogger({ error: log, warn: log, info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
});

afterEach(async () => {
  diag.disable();
  await collector.close();
});

function exporter(options: OtlpTraceExporterOptions = {}) {
  return new OtlpTraceExporter({ env: {}, url: collector.url, ...options });
}

function exportAsync(target: OtlpTraceExporter, spans: FinishedSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => target.export(spans, resolve));
}

/** Spans with a prompt of `size` characters each, as an LLM app records them. */
function prompts(count: number, size: number): FinishedSpan[] {
  return Array.from({ length: count }, (_, i) =>
    finishedSpan({ name: `chat ${i}`, attributes: { 'gen_ai.prompt': `${i}`.repeat(size) } }),
  );
}

/** Every span of some requests with its resource and scope, in span id order. */
function spansOf(requests: Canonical[]): Canonical[] {
  return requests
    .flatMap((request) =>
      request.resourceSpans.flatMap((rs: Canonical) =>
        rs.scopeSpans.flatMap((ss: Canonical) =>
          ss.spans.map((span: Canonical) => ({
            resource: rs.resource,
            resourceSchemaUrl: rs.schemaUrl,
            scope: ss.scope,
            scopeSchemaUrl: ss.schemaUrl,
            span,
          })),
        ),
      ),
    )
    .sort((a, b) => (a.span.spanId < b.span.spanId ? -1 : 1));
}

describe('maxRequestBytes, against a loopback collector', () => {
  it.each([
    ['http/protobuf', 'none'],
    ['http/protobuf', 'gzip'],
    ['http/json', 'none'],
    ['http/json', 'gzip'],
  ] as const)(
    '%s, compression %s: several requests, each within the limit before compression, every span once',
    async (protocol, compression) => {
      const spans = [...prompts(6, 3000), richSpan(), ...prompts(6, 2000)];
      const target = exporter({ protocol, compression, maxRequestBytes: 8 * 1024 });
      expect((await exportAsync(target, spans)).code).toBe(ExportResultCode.SUCCESS);
      expect(collector.received.length).toBeGreaterThan(2);
      const decoded = collector.received.map((request) => {
        // the collector gunzipped it: this is the size before compression
        expect(request.body.length).toBeLessThanOrEqual(8 * 1024);
        return canonicalBody(request.body, protocol);
      });
      expect(spansOf(decoded)).toEqual(spansOf([expectedRequest(spans)]));
      expect(target.stats).toMatchObject({ exportedSpans: 13, droppedSpans: 0, failedExports: 0 });
      expect(diagMessages).toEqual([]);
    },
  );

  it('a span above the limit on its own is dropped with one diagnostic; the others arrive', async () => {
    const spans = [...prompts(3, 3000), ...prompts(1, 9000), ...prompts(3, 3000)];
    const target = exporter({ protocol: 'http/json', maxRequestBytes: 8 * 1024 });
    const result = await exportAsync(target, spans);
    expect(result.code).toBe(ExportResultCode.FAILED);
    const decoded = collector.received.map((request) => canonicalBody(request.body, 'http/json'));
    const expected = spansOf([expectedRequest([...spans.slice(0, 3), ...spans.slice(4)])]);
    expect(spansOf(decoded)).toEqual(expected);
    expect(target.stats).toMatchObject({ exportedSpans: 6, droppedSpans: 1, failedExports: 1 });
    expect(diagMessages).toHaveLength(1);
    expect(diagMessages[0]).toContain(
      'a span alone exceeds maxRequestBytes (8192 bytes); 1 span dropped',
    );
  });

  it('20 MiB by default: a 22 MiB batch goes as two requests; a span above 20 MiB is dropped', async () => {
    const spans = prompts(11, 2 * MiB);
    const target = exporter();
    expect((await exportAsync(target, spans)).code).toBe(ExportResultCode.SUCCESS);
    expect(collector.received).toHaveLength(2);
    for (const request of collector.received) {
      expect(request.body.length).toBeLessThanOrEqual(20 * MiB);
    }
    expect(target.stats).toMatchObject({ exportedSpans: 11, droppedSpans: 0 });

    expect((await exportAsync(target, prompts(1, 20 * MiB))).code).toBe(ExportResultCode.FAILED);
    expect(collector.received).toHaveLength(2);
    expect(target.stats).toMatchObject({ exportedSpans: 11, droppedSpans: 1, failedExports: 1 });
    expect(diagMessages[0]).toContain(`maxRequestBytes (${20 * MiB} bytes)`);
  });
});
