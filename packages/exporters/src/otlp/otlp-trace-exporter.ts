import {
  type ExportResult,
  ExportResultCode,
  type FinishedSpan,
  type SpanExporter,
} from '@spanlite/core';
import { gzip } from '../runtime/edge';
import { encodeJsonTraceRequest } from './encode-json';
import { encodeProtobufTraceRequest } from './encode-protobuf';
import { type OtlpConfig, type OtlpConfigOptions, resolveOtlpConfig } from './otlp-config';
import {
  type DeliveryResult,
  defaultTransportHooks,
  sendOtlpRequest,
  type TransportHooks,
  unrefTimer,
} from './otlp-http-transport';
import { ReportOnce } from './report-once';

export interface OtlpTraceExporterOptions extends OtlpConfigOptions {
  /**
   * Exports allowed in flight at once; a batch arriving while this many are pending fails at once
   * and is counted as dropped, so a slow backend cannot pile up memory. Default 4.
   */
  concurrencyLimit?: number;
  /** The fetch to send with (an unwrapped one, say). Default `globalThis.fetch` at call time. */
  fetch?: typeof fetch;
  /** Replaces the clock, timers and randomness of the transport; for tests. */
  transportHooks?: Partial<TransportHooks>;
}

/** Counters since construction; `droppedSpans` includes the spans a backend rejected. */
export interface OtlpExporterStats {
  /** Spans a backend accepted. */
  readonly exportedSpans: number;
  /** Spans that did not reach a backend, or that it rejected. */
  readonly droppedSpans: number;
  /** Spans a backend reported as rejected in a partial-success response. */
  readonly rejectedSpans: number;
  readonly failedExports: number;
  readonly retries: number;
  /** Exports pending now. */
  readonly inFlight: number;
  /** Diagnostics counted instead of logged, being repeats of one already logged. */
  readonly suppressedDiagnostics: number;
}

const DEFAULT_CONCURRENCY_LIMIT = 4;

/**
 * Sends finished spans to an OTLP/HTTP endpoint (protobuf or JSON) with fetch, in Node and in
 * edge runtimes. `export` encodes synchronously (the batch's spans are not retained while the
 * request is pending), then sends, retries and reports through the callback exactly once. It
 * never throws and no promise of it rejects; each kind of failure is logged once through `diag`,
 * then counted in `stats`.
 */
export class OtlpTraceExporter implements SpanExporter {
  readonly config: OtlpConfig;
  private readonly concurrencyLimit: number;
  private readonly hooks: TransportHooks;
  private readonly headers: Record<string, string>;
  private readonly gzipHeaders: Record<string, string>;
  private readonly encode: (spans: readonly FinishedSpan[]) => Uint8Array;
  private readonly pending = new Set<Promise<void>>();
  private readonly shutdownController = new AbortController();
  private readonly reports = new ReportOnce();
  private shutdownPromise: Promise<void> | undefined;
  private counts = {
    exportedSpans: 0,
    droppedSpans: 0,
    rejectedSpans: 0,
    failedExports: 0,
    retries: 0,
  };

  constructor(options: OtlpTraceExporterOptions = {}) {
    this.config = resolveOtlpConfig(options);
    const limit = options.concurrencyLimit ?? DEFAULT_CONCURRENCY_LIMIT;
    this.concurrencyLimit =
      Number.isInteger(limit) && limit > 0 ? limit : DEFAULT_CONCURRENCY_LIMIT;
    this.hooks = { ...defaultTransportHooks(options.fetch), ...options.transportHooks };
    const json = this.config.protocol === 'http/json';
    this.encode = json ? encodeJsonTraceRequest : encodeProtobufTraceRequest;
    this.headers = {
      ...this.config.headers,
      'Content-Type': json ? 'application/json' : 'application/x-protobuf',
    };
    this.gzipHeaders = { ...this.headers, 'Content-Encoding': 'gzip' };
  }

  get stats(): OtlpExporterStats {
    return {
      ...this.counts,
      inFlight: this.pending.size,
      suppressedDiagnostics: this.reports.suppressed,
    };
  }

  export(spans: FinishedSpan[], resultCallback: (result: ExportResult) => void): void {
    const count = spans.length;
    if (this.shutdownPromise !== undefined) {
      this.fail(count, 'shutdown', 'export after shutdown', resultCallback);
      return;
    }
    if (count === 0) {
      this.callback(resultCallback, { code: ExportResultCode.SUCCESS });
      return;
    }
    if (this.pending.size >= this.concurrencyLimit) {
      this.fail(
        count,
        'concurrency',
        `${this.concurrencyLimit} exports already in flight; dropping a batch of ${count} spans`,
        resultCallback,
      );
      return;
    }
    let body: Uint8Array;
    try {
      body = this.encode(spans);
    } catch (error) {
      this.fail(count, 'encode', `cannot encode spans: ${String(error)}`, resultCallback);
      return;
    }
    // The task leaves `pending` before the callback runs, so the caller sees settled stats.
    const task: Promise<void> = this.send(body).then(
      (result) => {
        this.pending.delete(task);
        this.settle(result, count, resultCallback);
      },
      (error) => {
        this.pending.delete(task);
        this.fail(count, 'internal', `export failed: ${String(error)}`, resultCallback);
      },
    );
    this.pending.add(task);
  }

  /** Resolves when the exports in flight have finished, or after the export timeout. */
  forceFlush(): Promise<void> {
    return this.waitForPending(this.config.timeoutMillis);
  }

  /**
   * Fails later exports at once, waits for those in flight up to the export timeout, then aborts
   * what is left (counted as dropped). Idempotent.
   */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.waitForPending(this.config.timeoutMillis).then(() => {
      if (this.pending.size === 0) return;
      this.shutdownController.abort();
      return Promise.allSettled([...this.pending]).then(() => undefined);
    });
    return this.shutdownPromise;
  }

  private async send(body: Uint8Array): Promise<DeliveryResult> {
    let headers = this.headers;
    if (this.config.compression === 'gzip') {
      const compressed = await gzip(body);
      if (compressed) {
        body = compressed;
        headers = this.gzipHeaders;
      } else {
        this.reports.warn('gzip', 'gzip is unavailable in this runtime; sending uncompressed');
      }
    }
    return sendOtlpRequest(body, headers, this.config, this.hooks, this.shutdownController.signal);
  }

  private settle(
    result: DeliveryResult,
    count: number,
    resultCallback: (result: ExportResult) => void,
  ): void {
    this.counts.retries += Math.max(0, result.attempts - 1);
    if (!result.ok) {
      this.fail(count, result.kind, result.message, resultCallback);
      return;
    }
    const rejected = Math.min(result.partialSuccess?.rejectedSpans ?? 0, count);
    if (result.partialSuccess) {
      const message = result.partialSuccess.errorMessage;
      this.reports.warn(
        'partial-success',
        `the backend rejected ${rejected} of ${count} spans${message ? `: ${message}` : ''}`,
      );
    }
    this.counts.exportedSpans += count - rejected;
    this.counts.rejectedSpans += rejected;
    this.counts.droppedSpans += rejected;
    this.callback(resultCallback, { code: ExportResultCode.SUCCESS });
  }

  private fail(
    count: number,
    kind: string,
    message: string,
    resultCallback: (result: ExportResult) => void,
  ): void {
    this.counts.failedExports++;
    this.counts.droppedSpans += count;
    this.reports.error(kind, `${message}; ${count} spans dropped`);
    this.callback(resultCallback, { code: ExportResultCode.FAILED, error: new Error(message) });
  }

  private callback(resultCallback: (result: ExportResult) => void, result: ExportResult): void {
    try {
      resultCallback(result);
    } catch (error) {
      this.reports.error('callback', `the export result callback threw: ${String(error)}`);
    }
  }

  private waitForPending(timeoutMillis: number): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMillis);
      unrefTimer(timer);
      Promise.allSettled([...this.pending]).then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
