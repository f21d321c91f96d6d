// Conformance of the OTLP/HTTP exporter's requests with the OTLP specification
// (opentelemetry-proto docs/specification.md, "OTLP/HTTP": "Binary Protobuf Encoding",
// "JSON Protobuf Encoding", "OTLP/HTTP Request") and exporter.md ("Configuration Options").
import { ExportResultCode } from '@spanlite/core';
import { describe, expect, it } from 'vitest';
import { fakeClock, scriptedFetch, status } from '../../test/fixtures/fake-transport';
import { finishedSpan } from '../../test/fixtures/finished-spans';
import { OtlpTraceExporter, type OtlpTraceExporterOptions } from './otlp-trace-exporter';

async function firstRequest(options: OtlpTraceExporterOptions) {
  const { fetch, requests } = scriptedFetch([status(200)]);
  const exporter = new OtlpTraceExporter({
    env: {},
    transportHooks: { ...fakeClock().hooks, fetch },
    ...options,
  });
  const result = await new Promise((resolve) => exporter.export([finishedSpan()], resolve));
  expect(result).toEqual({ code: ExportResultCode.SUCCESS });
  return { request: requests[0]!, headers: new Headers(requests[0]!.init.headers) };
}

describe('OTLP/HTTP "Binary Protobuf Encoding" / "JSON Protobuf Encoding": Content-Type', () => {
  it('MUST set Content-Type: application/x-protobuf, even if a configured header says otherwise', async () => {
    const { headers } = await firstRequest({
      env: { OTEL_EXPORTER_OTLP_HEADERS: 'content-type=text/plain' },
    });
    expect(headers.get('content-type')).toBe('application/x-protobuf');
  });

  it('MUST set Content-Type: application/json for http/json, even if a header says otherwise', async () => {
    const { headers } = await firstRequest({
      protocol: 'http/json',
      headers: { 'content-type': 'application/x-protobuf' },
    });
    expect(headers.get('content-type')).toBe('application/json');
  });
});

describe('OTLP/HTTP Request: Content-Encoding only when the client gzips the content', () => {
  it('does not send a configured Content-Encoding over an uncompressed body', async () => {
    const { headers, request } = await firstRequest({
      env: { OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'Content-Encoding=gzip' },
    });
    expect(headers.get('content-encoding')).toBeNull();
    expect(request.body[0]).toBe(0x0a); // raw protobuf: ExportTraceServiceRequest.resource_spans
  });

  it('sends the other configured headers', async () => {
    const { headers } = await firstRequest({
      env: { OTEL_EXPORTER_OTLP_HEADERS: 'api-key=secret%20value' },
    });
    expect(headers.get('api-key')).toBe('secret value');
  });
});
