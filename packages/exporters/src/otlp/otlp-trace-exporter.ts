import {
  type ExportResult,
  ExportResultCode,
  type FinishedSpan,
  type SpanExporter,
  unrefTimer,
} from '@spanlite/core';
import { gzip, USER_AGENT } from '../runtime/edge';
import { encodeJsonTraceRequest } from './encode-json';
import { encodeProtobufTraceRequest } from './encode-protobuf';
import {
  mergeHeaders,
  type OtlpConfig,
  type OtlpConfigOptions,
  resolveOtlpConfig,
} from './otlp-config';
import {
  type DeliveryResult,
  defaultTransportHooks,
  sendOtlpRequest,
  type TransportHooks,
} from './otlp-http-transport';
import { ReportOnce } from './report-once';
import { ShutdownSignal } from './shutdown-signal';

export interface OtlpTraceExporterOptions extends OtlpConfigOptions {
  /**
   * Exports allowed in flight at once; a batch arriving while this many are pending fails at once
   * and is counted as dropped, so a slow backend cannot pile up memory. Default 4.
   */
  concurrencyLimit?: number;
  /**
   * The fetch to send with (an unwrapped one, say). Default `globalThis.fetch` at call time. It is
   * given the init the global one gets, `redirect: 'manual'` included, which it should honour.
   */
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
  private readonly _concurrencyLimit: number;
  private readonly _hooks: TransportHooks;
  private readonly _headers: Record<string, string>;
  private readonly _gzipHeaders: Record<string, string>;
  private readonly _encode: (spans: readonly FinishedSpan[]) => Uint8Array;
  private readonly _pending = new Set<Promise<void>>();
  private readonly _shutdown = new ShutdownSignal();
  private readonly _reports = new ReportOnce();
  private _shutdownPromise: Promise<void> | undefined;
  private _counts = {
    exportedSpans: 0,
    droppedSpans: 0,
    rejectedSpans: 0,
    failedExports: 0,
    retries: 0,
  };

  constructor(options: OtlpTraceExporterOptions = {}) {
    this.config = resolveOtlpConfig(options);
    const limit = options.concurrencyLimit ?? DEFAULT_CONCURRENCY_LIMIT;
    this._concurrencyLimit =
      Number.isInteger(limit) && limit > 0 ? limit : DEFAULT_CONCURRENCY_LIMIT;
    this._hooks = { ...defaultTransportHooks(options.fetch), ...options.transportHooks };
    const json = this.config.protocol === 'http/json';
    this._encode = json ? encodeJsonTraceRequest : encodeProtobufTraceRequest;
    // The body's type and encoding are the exporter's to say, whatever the headers configured
    // spell them (header names are case-insensitive).
    // A configured User-Agent replaces the exporter's own.
    const headers = mergeHeaders(
      USER_AGENT === undefined ? undefined : { 'User-Agent': USER_AGENT },
      this.config.headers,
      { 'Content-Type': json ? 'application/json' : 'application/x-protobuf' },
    );
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === 'content-encoding') delete headers[key];
    }
    this._headers = headers;
    this._gzipHeaders = { ...headers, 'Content-Encoding': 'gzip' };
  }

  get stats(): OtlpExporterStats {
    return {
      ...this._counts,
      inFlight: this._pending.size,
      suppressedDiagnostics: this._reports._suppressed,
    };
  }

  export(spans: FinishedSpan[], resultCallback: (result: ExportResult) => void): void {
    const count = spans.length;
    if (this._shutdownPromise !== undefined) {
      this._fail(count, 'shutdown', 'export after shutdown', resultCallback);
      return;
    }
    if (count === 0) {
      this._callback(resultCallback, { code: ExportResultCode.SUCCESS });
      return;
    }
    if (this._pending.size >= this._concurrencyLimit) {
      this._fail(
        count,
        'concurrency',
        `${this._concurrencyLimit} exports already in flight; dropping a batch of ${count} spans`,
        resultCallback,
      );
      return;
    }
    let body: Uint8Array;
    try {
      body = this._encode(spans);
    } catch (error) {
      this._fail(count, 'encode', `cannot encode spans: ${String(error)}`, resultCallback);
      return;
    }
    // The task leaves `pending` before the callback runs, so the caller sees settled stats.
    const task: Promise<void> = this._send(body).then(
      (result) => {
        this._pending.delete(task);
        this._settle(result, count, resultCallback);
      },
      (error) => {
        this._pending.delete(task);
        this._fail(count, 'internal', `export failed: ${String(error)}`, resultCallback);
      },
    );
    this._pending.add(task);
  }

  /** Resolves when the exports in flight have finished, or after the export timeout. */
  forceFlush(): Promise<void> {
    return this._waitForPending(this.config.timeoutMillis);
  }

  /**
   * Fails later exports at once, waits for those in flight up to the export timeout, then aborts
   * what is left (counted as dropped). Idempotent.
   */
  shutdown(): Promise<void> {
    this._shutdownPromise ??= this._waitForPending(this.config.timeoutMillis).then(() => {
      if (this._pending.size === 0) return;
      this._shutdown.abort();
      return Promise.allSettled([...this._pending]).then(() => undefined);
    });
    return this._shutdownPromise;
  }

  private async _send(body: Uint8Array): Promise<DeliveryResult> {
    let headers = this._headers;
    if (this.config.compression === 'gzip') {
      const compressed = await gzip(body);
      if (compressed) {
        body = compressed;
        headers = this._gzipHeaders;
      } else {
        this._reports.warn('gzip', 'gzip is unavailable in this runtime; sending uncompressed');
      }
    }
    return sendOtlpRequest(body, headers, this.config, this._hooks, this._shutdown);
  }

  private _settle(
    result: DeliveryResult,
    count: number,
    resultCallback: (result: ExportResult) => void,
  ): void {
    this._counts.retries += Math.max(0, result.attempts - 1);
    if (!result.ok) {
      this._fail(count, result.kind, result.message, resultCallback);
      return;
    }
    const rejected = Math.min(result.partialSuccess?.rejectedSpans ?? 0, count);
    if (result.partialSuccess) {
      const message = result.partialSuccess.errorMessage;
      this._reports.warn(
        'partial-success',
        `the backend rejected ${rejected} of ${count} spans${message ? `: ${message}` : ''}`,
      );
    }
    this._counts.exportedSpans += count - rejected;
    this._counts.rejectedSpans += rejected;
    this._counts.droppedSpans += rejected;
    this._callback(resultCallback, { code: ExportResultCode.SUCCESS });
  }

  private _fail(
    count: number,
    kind: string,
    message: string,
    resultCallback: (result: ExportResult) => void,
  ): void {
    this._counts.failedExports++;
    this._counts.droppedSpans += count;
    this._reports.error(kind, `${message}; ${count} spans dropped`);
    this._callback(resultCallback, { code: ExportResultCode.FAILED, error: new Error(message) });
  }

  private _callback(resultCallback: (result: ExportResult) => void, result: ExportResult): void {
    try {
      resultCallback(result);
    } catch (error) {
      this._reports.error('callback', `the export result callback threw: ${String(error)}`);
    }
  }

  private _waitForPending(timeoutMillis: number): Promise<void> {
    if (this._pending.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = unrefTimer(resolve, timeoutMillis);
      Promise.allSettled([...this._pending]).then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
