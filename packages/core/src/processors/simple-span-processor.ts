import type { Context } from '@opentelemetry/api';
import type { FinishedSpan } from '../export/finished-span';
import { ExportResultCode, type SpanExporter } from '../export/span-exporter';
import { exportWithTimeout } from './export-with-timeout';
import { FailureReporter } from './failure-reporter';
import type { FlushResult } from './flush-result';
import { isSampled, type SpanProcessor } from './span-processor';

/**
 * Exports each sampled span as it ends, one export call per span: for tests and debugging;
 * use BatchSpanProcessor in production.
 *
 * Exports never overlap (the specification: the simple processor MUST synchronize its calls to
 * Export, which is never called concurrently for one exporter). A span that ends while an
 * export is under way waits in a queue; one that ends while the exporter is idle is handed over
 * at once, so an exporter that answers synchronously has every span by the time `end()` returns.
 */
export class SimpleSpanProcessor implements SpanProcessor {
  private readonly _failures = new FailureReporter('SimpleSpanProcessor');
  private _queue: FinishedSpan[] = [];
  /** True from an export call until its result (or its timeout). */
  private _exporting = false;
  /** True while `_drain` runs, so a result that comes back synchronously does not re-enter it. */
  private _draining = false;
  /** `forceFlush` calls waiting for the queue to empty. */
  private _idle: Array<() => void> = [];
  private _shutdown: Promise<FlushResult> | undefined;
  /** Spans whose export failed, and their number when the last flush settled. */
  private _failed = 0;
  private _failedBefore = 0;

  constructor(
    private readonly _exporter: SpanExporter,
    private readonly _exportTimeoutMillis = 30000,
  ) {}

  onStart(_span: unknown, _parentContext: Context): void {}

  onEnd(span: FinishedSpan): void {
    if (this._shutdown !== undefined || !isSampled(span)) return;
    this._queue.push(span);
    this._drain();
  }

  /**
   * Resolves once the spans ended before it are exported: `failure` when an export failed since
   * the last flush (or the exporter's own flush did), else `success`.
   */
  async forceFlush(): Promise<FlushResult> {
    // after shutdown: nothing more to flush, and the exporter is shut (spec: ignored gracefully)
    if (this._shutdown !== undefined) return this._shutdown;
    // compared with the mark at the flush's start: concurrent flushes all see a failure
    const since = this._failedBefore;
    if (this._exporting || this._queue.length > 0) {
      await new Promise<void>((resolve) => this._idle.push(resolve));
    }
    try {
      await this._exporter.forceFlush?.();
    } catch (error) {
      this._failedBefore = this._failed;
      this._failures.report('exporter forceFlush failed', error);
      return 'failure';
    }
    this._failedBefore = this._failed;
    return this._failed > since ? 'failure' : 'success';
  }

  shutdown(): Promise<FlushResult> {
    this._shutdown ??= this.forceFlush()
      .then((result) => Promise.resolve(this._exporter.shutdown()).then(() => result))
      .catch((error): FlushResult => {
        this._failures.report('exporter shutdown failed', error);
        return 'failure';
      });
    return this._shutdown;
  }

  /** Starts the next export while the exporter is idle; wakes flushes once nothing is left. */
  private _drain(): void {
    if (this._draining) return;
    this._draining = true;
    while (!this._exporting && this._queue.length > 0) {
      const span = this._queue.shift()!;
      this._export(span);
    }
    this._draining = false;
    if (!this._exporting && this._queue.length === 0 && this._idle.length > 0) {
      const idle = this._idle;
      this._idle = [];
      for (const resolve of idle) resolve();
    }
  }

  /**
   * One span's export. A timeout counts the span as failed, but the next export waits for the
   * exporter to call back: one export runs at a time (the specification: the simple processor
   * "MUST synchronize calls to Span Exporter's Export").
   */
  private _export(span: FinishedSpan): void {
    this._exporting = true;
    exportWithTimeout(
      this._exporter,
      [span],
      this._exportTimeoutMillis,
      (result) => {
        if (result.code === ExportResultCode.SUCCESS) return;
        this._failed++;
        this._failures.report('export failed, span dropped', result.error);
      },
      () => {
        this._exporting = false;
        this._drain();
      },
    );
  }
}
