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
import { fetchWithTls } from './fetch-with-tls';
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
import type { TlsFetch } from './tls-files';

export interface OtlpTraceExporterOptions extends OtlpConfigOptions {
  /**
   * Exports allowed in flight at once; a batch arriving while this many are pending fails at once
   * and is counted as dropped, so a slow backend cannot pile up memory. Default 4.
   */
  concurrencyLimit?: number | undefined;
  /**
   * The largest request body sent, in bytes before compression (OTLP/HTTP: the client "SHOULD
   * limit the size of the request body", 20 MiB recommended). A batch encoded larger is sent as
   * several requests within it; a span larger alone is dropped. Default 20 MiB.
   */
  maxRequestBytes?: number | undefined;
  /**
   * The fetch to send with (an unwrapped one, say). Default `globalThis.fetch` at call time. It is
   * given the init the global one gets, `redirect: 'manual'` included, which it should honour.
   * The TLS files (`certificateFile`…) are not applied to it.
   */
  fetch?: typeof fetch | undefined;
  /** Replaces the clock, timers and randomness of the transport; for tests. */
  transportHooks?: Partial<TransportHooks> | undefined;
}

/** Counters since construction; `droppedSpans` includes the spans a backend rejected. */
export interface OtlpExporterStats {
  /** Spans a backend accepted. */
  readonly exportedSpans: number;
  /** Spans that did not reach a backend, or that it rejected. */
  readonly droppedSpans: number;
  /** Spans a backend reported as rejected in a partial-success response. */
  readonly rejectedSpans: number;
  /** Exports that lost spans (all of their batch, or some of it), rejections aside. */
  readonly failedExports: number;
  readonly retries: number;
  /** Exports pending now. */
  readonly inFlight: number;
  /** Diagnostics counted instead of logged, being repeats of one already logged. */
  readonly suppressedDiagnostics: number;
}

const DEFAULT_CONCURRENCY_LIMIT = 4;
const DEFAULT_MAX_REQUEST_BYTES = 20 * 1024 * 1024;

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
  private readonly _maxRequestBytes: number;
  private readonly _hooks: TransportHooks;
  private readonly _headers: Record<string, string>;
  private readonly _gzipHeaders: Record<string, string>;
  private readonly _encode: (spans: readonly FinishedSpan[]) => Uint8Array;
  private readonly _pending = new Set<Promise<void>>();
  private readonly _shutdown = new ShutdownSignal();
  private readonly _reports = new ReportOnce();
  private _shutdownPromise: Promise<void> | undefined;
  private _closeConnections: (() => void) | undefined;
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
    const max = options.maxRequestBytes ?? 0;
    this._maxRequestBytes = max > 0 ? max : DEFAULT_MAX_REQUEST_BYTES;
    const sendWith = fetchWithTls(this.config.tls, this.config.url, options.fetch);
    // the TLS client's own connections, let go at shutdown
    if (sendWith !== options.fetch)
      this._closeConnections = (sendWith as TlsFetch | undefined)?.close;
    this._hooks = { ...defaultTransportHooks(sendWith), ...options.transportHooks };
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
      this._exportEncodable(spans, `cannot encode a span: ${String(error)}`, resultCallback);
      return;
    }
    if (body.length > this._maxRequestBytes) {
      this._exportInParts(spans, body.length, resultCallback);
      return;
    }
    // The task leaves `pending` before the callback runs, so the caller sees settled stats.
    const task: Promise<void> = this._send(body).then(
      (result) => {
        this._pending.delete(task);
        this._end(this._count(result, count), resultCallback);
      },
      (error) => {
        this._pending.delete(task);
        this._fail(count, 'internal', `export failed: ${String(error)}`, resultCallback);
      },
    );
    this._pending.add(task);
  }

  /**
   * A batch that did not encode, as when a span from outside spanlite is malformed (a link of
   * `sdk-trace-base` with a null context): the spans that encode alone go on, the others are
   * dropped and counted, and the export fails, for what it lost.
   */
  private _exportEncodable(
    spans: FinishedSpan[],
    message: string,
    resultCallback: (result: ExportResult) => void,
  ): void {
    const encodable = spans.filter((span) => {
      try {
        this._encode([span]);
        return true;
      } catch {
        return false;
      }
    });
    if (encodable.length === 0 || encodable.length === spans.length) {
      this._fail(spans.length, 'encode', message, resultCallback);
      return;
    }
    this._drop(spans.length - encodable.length, 'encode', message);
    this.export(encodable, (result) => {
      if (result.code === ExportResultCode.SUCCESS) this._failed(message, resultCallback);
      else this._callback(resultCallback, result);
    });
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
    this._shutdownPromise ??= this._waitForPending(this.config.timeoutMillis)
      .then(() => {
        if (this._pending.size === 0) return;
        this._shutdown.abort();
        return Promise.allSettled([...this._pending]).then(() => undefined);
      })
      .then(() => this._closeConnections?.());
    return this._shutdownPromise;
  }

  /**
   * A batch whose body is above `maxRequestBytes`: encoded again in parts within it (at once, as
   * any batch is), which are sent one after the other under the export's one deadline, as one
   * export in flight; a span above the limit alone is dropped. The callback tells the first loss.
   */
  private _exportInParts(
    spans: FinishedSpan[],
    size: number,
    resultCallback: (result: ExportResult) => void,
  ): void {
    const max = this._maxRequestBytes;
    const parts: Part[] = [];
    let tooLarge: number;
    try {
      tooLarge = split(spans, size, max, this._encode, parts);
    } catch (error) {
      this._exportEncodable(spans, `cannot encode a span: ${String(error)}`, resultCallback);
      return;
    }
    let failure: string | undefined;
    if (tooLarge > 0) {
      failure = `a span alone exceeds maxRequestBytes (${max} bytes)`;
      this._drop(tooLarge, 'request-size', failure);
    }
    const task: Promise<void> = this._sendParts(parts).then((lost) => {
      this._pending.delete(task);
      this._end(failure ?? lost, resultCallback);
    });
    this._pending.add(task);
  }

  /**
   * Sends parts one after the other by one deadline; returns the first loss. Once the deadline
   * has passed or shutdown aborted, the parts left are dropped unsent (a timer can fire a moment
   * before the clock reads the deadline, which would start a part with no time left). Never
   * rejects.
   */
  private async _sendParts(parts: Part[]): Promise<string | undefined> {
    const deadline = this._hooks.now() + this.config.timeoutMillis;
    let failure: string | undefined;
    let ended: DeliveryResult | undefined;
    for (const [body, count] of parts) {
      let lost: string | undefined;
      try {
        const result = ended ?? (await this._send(body, deadline));
        if (!result.ok && (result.kind === 'timeout' || result.kind === 'aborted')) {
          ended ??= { ok: false, attempts: 0, kind: result.kind, message: result.message };
        }
        lost = this._count(result, count);
      } catch (error) {
        lost = `export failed: ${String(error)}`;
        this._drop(count, 'internal', lost);
      }
      failure ??= lost;
    }
    return failure;
  }

  private async _send(body: Uint8Array, deadline?: number): Promise<DeliveryResult> {
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
    return sendOtlpRequest(body, headers, this.config, this._hooks, this._shutdown, deadline);
  }

  /** Tells the caller how an export went: a success, or the first reason it lost spans. */
  private _end(failure: string | undefined, resultCallback: (result: ExportResult) => void): void {
    if (failure === undefined) this._callback(resultCallback, { code: ExportResultCode.SUCCESS });
    else this._failed(failure, resultCallback);
  }

  /** Counts what one request delivered; returns why it failed, its spans counted as dropped. */
  private _count(result: DeliveryResult, count: number): string | undefined {
    this._counts.retries += Math.max(0, result.attempts - 1);
    if (!result.ok) {
      this._drop(count, result.kind, result.message);
      return result.message;
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
    return undefined;
  }

  private _fail(
    count: number,
    kind: string,
    message: string,
    resultCallback: (result: ExportResult) => void,
  ): void {
    this._drop(count, kind, message);
    this._failed(message, resultCallback);
  }

  /** Spans lost: counted, and their kind of failure reported once. */
  private _drop(count: number, kind: string, message: string): void {
    this._counts.droppedSpans += count;
    this._reports.error(kind, `${message}; ${count} span${count === 1 ? '' : 's'} dropped`);
  }

  /** An export that lost spans: counted once, and told to its caller. */
  private _failed(message: string, resultCallback: (result: ExportResult) => void): void {
    this._counts.failedExports++;
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

type Part = [body: Uint8Array, count: number];

/**
 * Adds to `parts` the bodies of `spans` (`size` bytes in one) cut into as many runs of spans as
 * the size asks for, each run cut again while above `max`. Returns how many spans are above it
 * alone.
 */
function split(
  spans: readonly FinishedSpan[],
  size: number,
  max: number,
  encode: (spans: readonly FinishedSpan[]) => Uint8Array,
  parts: Part[],
): number {
  if (spans.length === 1) return 1;
  const step = Math.ceil(spans.length / Math.ceil(size / max));
  let tooLarge = 0;
  for (let i = 0; i < spans.length; i += step) {
    const run = spans.slice(i, i + step);
    const body = encode(run);
    if (body.length > max) tooLarge += split(run, body.length, max, encode, parts);
    else parts.push([body, run.length]);
  }
  return tooLarge;
}
