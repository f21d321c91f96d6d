import { DiagLogLevel, diag } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@spanlite/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeClock, scriptedFetch, status } from '../../test/fixtures/fake-transport';
import { finishedSpan } from '../../test/fixtures/finished-spans';
import { OtlpTraceExporter, type OtlpTraceExporterOptions } from './otlp-trace-exporter';

function exporterWith(
  script: Parameters<typeof scriptedFetch>[0],
  options: OtlpTraceExporterOptions = {},
) {
  const { fetch, requests } = scriptedFetch(script);
  const exporter = new OtlpTraceExporter({
    env: {},
    transportHooks: { ...fakeClock().hooks, fetch },
    ...options,
  });
  return { exporter, requests };
}

function exportAsync(exporter: OtlpTraceExporter, count = 2): Promise<ExportResult> {
  return new Promise((resolve) =>
    exporter.export(
      Array.from({ length: count }, () => finishedSpan()),
      resolve,
    ),
  );
}

function captureDiag() {
  const logger = { warn: vi.fn(), error: vi.fn(), info: vi.fn(), debug: vi.fn(), verbose: vi.fn() };
  diag.setLogger(logger, DiagLogLevel.WARN);
  return logger;
}

/** A fetch that waits until released, so that exports stay in flight. */
function gatedFetch() {
  const gates: Array<() => void> = [];
  const fetch = ((_url: string, init: RequestInit) =>
    new Promise<Response>((resolve, reject) => {
      gates.push(() => resolve(new Response(null, { status: 200 })));
      init.signal?.addEventListener('abort', () =>
        reject(new DOMException('aborted', 'AbortError')),
      );
    })) as unknown as typeof globalThis.fetch;
  const release = () => {
    for (const open of gates.splice(0)) open();
  };
  return { fetch, release, gates };
}

describe('OtlpTraceExporter', () => {
  afterEach(() => diag.disable());

  it('exports with the protocol content type and counts what it delivered', async () => {
    const { exporter, requests } = exporterWith([status(200)]);
    expect(await exportAsync(exporter, 3)).toEqual({ code: ExportResultCode.SUCCESS });
    expect(requests[0]!.init.headers).toMatchObject({ 'Content-Type': 'application/x-protobuf' });
    expect(exporter.stats).toMatchObject({ exportedSpans: 3, droppedSpans: 0, inFlight: 0 });

    const json = exporterWith([status(200)], { protocol: 'http/json', headers: { 'x-k': 'v' } });
    await exportAsync(json.exporter);
    expect(json.requests[0]!.init.headers).toMatchObject({
      'x-k': 'v',
      'Content-Type': 'application/json',
    });
    expect(JSON.parse(new TextDecoder().decode(json.requests[0]!.body)).resourceSpans).toHaveLength(
      1,
    );
  });

  it('gzips when asked, with Content-Encoding, or sends uncompressed where gzip is missing', async () => {
    const logger = captureDiag();
    const { exporter, requests } = exporterWith([status(200)], { compression: 'gzip' });
    await exportAsync(exporter);
    await exportAsync(exporter);
    const request = requests[0]!;
    // Node gzips with zlib; the edge VM, like some edge runtimes, has no CompressionStream.
    const canGzip = typeof (globalThis as any).process?.versions?.node === 'string';
    if (canGzip) {
      expect(request.init.headers).toMatchObject({ 'Content-Encoding': 'gzip' });
      expect([request.body[0], request.body[1]]).toEqual([0x1f, 0x8b]);
      expect(logger.warn).not.toHaveBeenCalled();
    } else {
      expect(request.init.headers).not.toHaveProperty('Content-Encoding');
      expect(request.body[0]).toBe(0x0a); // ExportTraceServiceRequest.resource_spans
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn.mock.calls[0]![0]).toContain('sending uncompressed');
    }
    expect(exporter.stats.exportedSpans).toBe(4);
  });

  it('reports a failure kind once through diag, then counts it', async () => {
    const logger = captureDiag();
    const { exporter } = exporterWith([status(400)]);
    for (let i = 0; i < 3; i++) {
      expect((await exportAsync(exporter)).code).toBe(ExportResultCode.FAILED);
    }
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error.mock.calls[0]![0]).toContain('400');
    expect(exporter.stats).toMatchObject({
      failedExports: 3,
      droppedSpans: 6,
      suppressedDiagnostics: 2,
    });
  });

  it('counts the spans a partial success rejected, and still succeeds', async () => {
    const logger = captureDiag();
    const response = new Response(
      '{"partialSuccess":{"rejectedSpans":"1","errorMessage":"bad attr"}}',
      {
        status: 200,
        headers: { 'content-type': 'application/json' },
      },
    );
    const { exporter } = exporterWith([response]);
    expect((await exportAsync(exporter, 4)).code).toBe(ExportResultCode.SUCCESS);
    expect(exporter.stats).toMatchObject({ exportedSpans: 3, rejectedSpans: 1, droppedSpans: 1 });
    expect(logger.warn.mock.calls[0]![0]).toContain('rejected 1 of 4 spans: bad attr');
  });

  it('caps concurrent exports, failing the excess at once', async () => {
    captureDiag();
    const gate = gatedFetch();
    const exporter = new OtlpTraceExporter({ env: {}, fetch: gate.fetch, concurrencyLimit: 2 });
    const first = exportAsync(exporter);
    const second = exportAsync(exporter);
    const third = await exportAsync(exporter, 5);
    expect(third.code).toBe(ExportResultCode.FAILED);
    expect(exporter.stats).toMatchObject({ inFlight: 2, droppedSpans: 5 });
    await vi.waitFor(() => expect(gate.gates).toHaveLength(2));
    gate.release();
    expect((await first).code).toBe(ExportResultCode.SUCCESS);
    expect((await second).code).toBe(ExportResultCode.SUCCESS);
    expect(exporter.stats).toMatchObject({ inFlight: 0, exportedSpans: 4 });
  });

  it('forceFlush waits for exports in flight', async () => {
    const gate = gatedFetch();
    const exporter = new OtlpTraceExporter({ env: {}, fetch: gate.fetch });
    const done = vi.fn();
    exporter.export([finishedSpan()], done);
    let flushed = false;
    const flush = exporter.forceFlush().then(() => (flushed = true));
    await vi.waitFor(() => expect(gate.gates).toHaveLength(1));
    expect(flushed).toBe(false);
    gate.release();
    await flush;
    expect(done).toHaveBeenCalledWith({ code: ExportResultCode.SUCCESS });
  });

  it('shutdown waits up to the timeout, aborts the rest, and fails later exports', async () => {
    captureDiag();
    const gate = gatedFetch();
    const exporter = new OtlpTraceExporter({ env: {}, fetch: gate.fetch, timeoutMillis: 50 });
    const pending = exportAsync(exporter, 3);
    await exporter.shutdown();
    expect((await pending).code).toBe(ExportResultCode.FAILED);
    expect((await exportAsync(exporter, 1)).code).toBe(ExportResultCode.FAILED);
    expect(exporter.stats).toMatchObject({ inFlight: 0, droppedSpans: 4, exportedSpans: 0 });
    expect(exporter.shutdown()).toBe(exporter.shutdown());
  });

  it('survives a throwing result callback and a throwing diag logger', async () => {
    diag.setLogger(
      {
        warn: () => {
          throw new Error('logger');
        },
        error: () => {
          throw new Error('logger');
        },
        info() {},
        debug() {},
        verbose() {},
      },
      DiagLogLevel.WARN,
    );
    const { exporter } = exporterWith([status(400)]);
    const callback = vi.fn(() => {
      throw new Error('callback');
    });
    exporter.export([finishedSpan()], callback);
    await vi.waitFor(() => expect(callback).toHaveBeenCalledTimes(1));
    await exporter.forceFlush();
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('succeeds at once on an empty batch, sending nothing', async () => {
    const { exporter, requests } = exporterWith([status(200)]);
    const result = await new Promise<ExportResult>((resolve) => exporter.export([], resolve));
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(requests).toHaveLength(0);
  });
});
