import { DiagLogLevel, diag } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode, type FinishedSpan } from '@spanlite/core';
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

  it('drops a span that cannot be encoded, and exports the others of its batch', async () => {
    captureDiag();
    for (const protocol of ['http/protobuf', 'http/json'] as const) {
      const { exporter, requests } = exporterWith([status(200)], { protocol });
      // what a span of another SDK may carry: a link without a context
      const broken = finishedSpan({ links: [{ context: null, attributes: {} } as never] });
      const spans = [finishedSpan(), broken, finishedSpan()];
      const result = await exportSpans(exporter, spans);
      expect(result.code).toBe(ExportResultCode.FAILED);
      expect(requests).toHaveLength(1);
      expect(carriedBy(spans, [requests[0]!.body], protocol === 'http/json')).toEqual([
        [0],
        [],
        [0],
      ]);
      expect(exporter.stats).toMatchObject({ exportedSpans: 2, droppedSpans: 1, failedExports: 1 });
    }
  });

  it('drops a span with fields OTLP cannot carry (ids, times, numbers), and sends the rest', async () => {
    captureDiag();
    const parent = { traceId: '0'.repeat(32), spanId: 'bad', traceFlags: 1 };
    const link = (spanId: string) => ({
      context: { traceId: 'ab'.repeat(16), spanId, traceFlags: 1 },
      attributes: {},
      droppedAttributesCount: 0,
    });
    // spans of another SDK or hand-made: each valid but for one field
    const malformed = [
      finishedSpan({ traceId: '' }),
      finishedSpan({ spanId: 'xyz0123456789abc' }),
      finishedSpan({ parent }),
      finishedSpan({ kind: -5 }),
      finishedSpan({ status: { code: -1 } as never }),
      finishedSpan({ start: [-1, 500_000_000] }),
      finishedSpan({ end: [Number.NaN, Number.NaN] }),
      finishedSpan({ start: 1_700_000_000_000 as never }),
      finishedSpan({ droppedEventsCount: -1 }),
      finishedSpan({
        events: [{ name: 'e', time: [2 ** 40, 0], attributes: {}, droppedAttributesCount: 0 }],
      }),
      finishedSpan({ links: [link('0123456789abcde')] }),
      finishedSpan({ links: [{ ...link('0123456789abcdef'), droppedAttributesCount: -1 }] }),
    ];
    for (const protocol of ['http/protobuf', 'http/json'] as const) {
      const { exporter, requests } = exporterWith([status(200)], { protocol });
      const spans = [
        finishedSpan({ links: [link('0123456789ABCDEF')] }),
        ...malformed,
        finishedSpan(),
      ];
      const result = await exportSpans(exporter, spans);
      expect(result.code).toBe(ExportResultCode.FAILED);
      expect(requests).toHaveLength(1);
      const carried = carriedBy(spans, [requests[0]!.body], protocol === 'http/json');
      expect(carried[0]).toEqual([0]);
      expect(carried.at(-1)).toEqual([0]);
      expect(exporter.stats).toMatchObject({
        exportedSpans: 2,
        droppedSpans: malformed.length,
        failedExports: 1,
      });
    }
  });

  it("keeps sdk-trace-base's unnormalized [s, 1e9] times and the last nanosecond OTLP holds", async () => {
    for (const protocol of ['http/protobuf', 'http/json'] as const) {
      const { exporter, requests } = exporterWith([status(200)], { protocol });
      const rounded = finishedSpan({ start: [1_700_000_000, 1e9], end: [1_700_000_001, 1e9] });
      const last = finishedSpan({
        start: [18_446_744_073, 709_551_614],
        end: [18_446_744_073, 709_551_615],
      });
      const past = finishedSpan({ end: [18_446_744_073, 709_551_616] });
      const spans = [rounded, last, past];
      await exportSpans(exporter, spans);
      expect(carriedBy(spans, [requests[0]!.body], protocol === 'http/json')).toEqual([
        [0],
        [0],
        [],
      ]);
      if (protocol === 'http/json') {
        const text = new TextDecoder().decode(requests[0]!.body);
        expect(text).toContain('"startTimeUnixNano":"1700000001000000000"');
        expect(text).toContain('"endTimeUnixNano":"18446744073709551615"');
      }
    }
  });

  it('succeeds at once on an empty batch, sending nothing', async () => {
    const { exporter, requests } = exporterWith([status(200)]);
    const result = await new Promise<ExportResult>((resolve) => exporter.export([], resolve));
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(requests).toHaveLength(0);
  });
});

let bigSpanCount = 0;

/** Spans of about `sizes` bytes each (an attribute of that length: an LLM prompt, say). */
function bigSpans(...sizes: number[]): FinishedSpan[] {
  return sizes.map((size) =>
    finishedSpan({
      // ids that no other bytes of a body can match by chance
      spanId: `c0ffee${String(++bigSpanCount).padStart(6, '0')}5ba9`,
      attributes: { prompt: 'p'.repeat(size) },
    }),
  );
}

/** Whether `body` holds the span id `hex`: as its bytes (protobuf) or as text (JSON). */
function carries(body: Uint8Array, hex: string, json: boolean): boolean {
  const needle = json
    ? new TextEncoder().encode(`"${hex}"`)
    : Uint8Array.from(hex.match(/../g)!, (byte) => Number.parseInt(byte, 16));
  outer: for (let i = 0; i + needle.length <= body.length; i++) {
    for (let j = 0; j < needle.length; j++) if (body[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** For each span, the indexes of the requests that carried it. */
function carriedBy(spans: FinishedSpan[], bodies: Uint8Array[], json: boolean): number[][] {
  return spans.map((span) =>
    bodies.flatMap((body, i) => (carries(body, span.spanContext().spanId, json) ? [i] : [])),
  );
}

function exportSpans(exporter: OtlpTraceExporter, spans: FinishedSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

describe('OtlpTraceExporter: request body size (OTLP/HTTP: the client SHOULD limit it)', () => {
  afterEach(() => diag.disable());

  it.each(['http/protobuf', 'http/json'] as const)(
    '%s: a batch above maxRequestBytes goes as several requests under it, in order, with one callback',
    async (protocol) => {
      const json = protocol === 'http/json';
      const { exporter, requests } = exporterWith([status(200)], {
        protocol,
        maxRequestBytes: 4000,
      });
      const spans = bigSpans(...Array.from({ length: 10 }, () => 1000));
      const callback = vi.fn();
      const done = new Promise<ExportResult>((resolve) =>
        exporter.export(spans, (result) => {
          callback(result);
          resolve(result);
        }),
      );
      expect(await done).toEqual({ code: ExportResultCode.SUCCESS });
      expect(callback).toHaveBeenCalledTimes(1);
      expect(requests.length).toBeGreaterThan(2);
      for (const request of requests) expect(request.body.length).toBeLessThanOrEqual(4000);
      const by = carriedBy(
        spans,
        requests.map((r) => r.body),
        json,
      );
      // every span exactly once, and the requests in the batch's order
      expect(by.every((list) => list.length === 1)).toBe(true);
      expect(by.map(([i]) => i)).toEqual([...by.map(([i]) => i!)].sort((a, b) => a - b));
      expect(exporter.stats).toMatchObject({
        exportedSpans: 10,
        droppedSpans: 0,
        failedExports: 0,
        inFlight: 0,
      });
    },
  );

  it.each(['http/protobuf', 'http/json'] as const)(
    '%s: a span above the limit on its own is dropped, reported once; the rest is sent',
    async (protocol) => {
      const json = protocol === 'http/json';
      const logger = captureDiag();
      const { exporter, requests } = exporterWith([status(200)], {
        protocol,
        maxRequestBytes: 4000,
      });
      const spans = bigSpans(1000, 1000, 1000, 10_000, 1000, 1000);
      const result = await exportSpans(exporter, spans);
      expect(result.code).toBe(ExportResultCode.FAILED);
      expect(result.error?.message).toContain('maxRequestBytes (4000 bytes)');
      for (const request of requests) expect(request.body.length).toBeLessThanOrEqual(4000);
      expect(
        carriedBy(
          spans,
          requests.map((r) => r.body),
          json,
        ).map((by) => by.length),
      ).toEqual([1, 1, 1, 0, 1, 1]);
      expect(exporter.stats).toMatchObject({
        exportedSpans: 5,
        droppedSpans: 1,
        failedExports: 1,
        inFlight: 0,
      });
      expect(logger.error).toHaveBeenCalledTimes(1);
      expect(logger.error.mock.calls[0]![0]).toContain(
        'maxRequestBytes (4000 bytes); 1 span dropped',
      );

      // a batch of one such span alone: failed at once, nothing sent, the diagnostic not repeated
      const sent = requests.length;
      expect((await exportSpans(exporter, bigSpans(10_000))).code).toBe(ExportResultCode.FAILED);
      expect(requests).toHaveLength(sent);
      expect(exporter.stats).toMatchObject({
        exportedSpans: 5,
        droppedSpans: 2,
        failedExports: 2,
        suppressedDiagnostics: 1,
      });
      expect(logger.error).toHaveBeenCalledTimes(1);
    },
  );

  it('a batch under the limit is one request, as before', async () => {
    const { exporter, requests } = exporterWith([status(200)], { maxRequestBytes: 4000 });
    const spans = bigSpans(1000, 1000, 1000);
    expect((await exportSpans(exporter, spans)).code).toBe(ExportResultCode.SUCCESS);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.body.length).toBeLessThanOrEqual(4000);
  });

  it('the requests of one export share its deadline (timeoutMillis)', async () => {
    captureDiag();
    const clock = fakeClock();
    // each request takes 600 ms of the export's 1000: the third starts past the deadline
    const { fetch, requests } = scriptedFetch([
      () => {
        clock.advance(600);
        return status(200);
      },
    ]);
    const exporter = new OtlpTraceExporter({
      env: {},
      timeoutMillis: 1000,
      maxRequestBytes: 2500,
      transportHooks: { ...clock.hooks, fetch },
    });
    const result = await exportSpans(exporter, bigSpans(1000, 1000, 1000, 1000, 1000, 1000));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toContain('did not complete within 1000 ms');
    expect(requests).toHaveLength(2);
    expect(exporter.stats).toMatchObject({
      exportedSpans: 4,
      droppedSpans: 2,
      failedExports: 1,
      inFlight: 0,
    });
  });

  it('a request that fails loses its own spans only; the export fails once, with its retries counted', async () => {
    const logger = captureDiag();
    const { exporter, requests } = exporterWith(
      [status(503), status(400), status(200), status(200)],
      { maxRequestBytes: 2500 },
    );
    const result = await exportSpans(exporter, bigSpans(1000, 1000, 1000, 1000, 1000, 1000));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toContain('HTTP 400');
    // the first request: 503 then 400; then the two others
    expect(requests).toHaveLength(4);
    expect(exporter.stats).toMatchObject({
      exportedSpans: 4,
      droppedSpans: 2,
      failedExports: 1,
      retries: 1,
      inFlight: 0,
    });
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error.mock.calls[0]![0]).toContain('answered HTTP 400; 2 spans dropped');
  });

  it('the requests go one after another, as one export in flight of the concurrency limit', async () => {
    const gate = gatedFetch();
    const exporter = new OtlpTraceExporter({
      env: {},
      fetch: gate.fetch,
      concurrencyLimit: 1,
      maxRequestBytes: 2500,
    });
    const pending = exportSpans(exporter, bigSpans(1000, 1000, 1000, 1000, 1000, 1000));
    expect((await exportSpans(exporter, bigSpans(10))).code).toBe(ExportResultCode.FAILED);
    for (let i = 0; i < 3; i++) {
      await vi.waitFor(() => expect(gate.gates).toHaveLength(1));
      expect(exporter.stats.inFlight).toBe(1);
      gate.release();
    }
    expect((await pending).code).toBe(ExportResultCode.SUCCESS);
    expect(exporter.stats).toMatchObject({ exportedSpans: 6, droppedSpans: 1, inFlight: 0 });
  });

  it('shutdown waits up to the timeout; the parts not delivered fail, with one callback', async () => {
    captureDiag();
    const gate = gatedFetch();
    const exporter = new OtlpTraceExporter({
      env: {},
      fetch: gate.fetch,
      timeoutMillis: 50,
      maxRequestBytes: 2500,
      // a clock that never reaches the deadline, as when the attempt's timer fires a moment
      // early: the parts left must still not be sent after the first timed out
      transportHooks: { now: () => 0 },
    });
    const callback = vi.fn();
    exporter.export(bigSpans(1000, 1000, 1000, 1000, 1000, 1000), callback);
    await exporter.shutdown();
    expect(callback).toHaveBeenCalledTimes(1);
    expect(callback.mock.calls[0]![0].code).toBe(ExportResultCode.FAILED);
    expect(gate.gates).toHaveLength(1);
    expect(exporter.stats).toMatchObject({
      exportedSpans: 0,
      droppedSpans: 6,
      failedExports: 1,
      inFlight: 0,
    });
  });

  it('an invalid maxRequestBytes falls back to the default', async () => {
    for (const maxRequestBytes of [0, -1, Number.NaN]) {
      const { exporter, requests } = exporterWith([status(200)], { maxRequestBytes });
      expect((await exportSpans(exporter, bigSpans(1000, 1000))).code).toBe(
        ExportResultCode.SUCCESS,
      );
      expect(requests).toHaveLength(1);
    }
  });
});
