import { type Context, diag } from '@opentelemetry/api';
import { defaultEnv, type EnvSource, readCount, reportEnv } from '../config/env';
import type { FinishedSpan } from '../export/finished-span';
import { ExportResultCode, type SpanExporter } from '../export/span-exporter';
import { toText } from '../trace/to-text';
import { exportWithTimeout } from './export-with-timeout';
import { FailureReporter } from './failure-reporter';
import type { FlushResult } from './flush-result';
import { isSampled, type SpanProcessor } from './span-processor';
import { unrefTimer } from './unref-timer';

export interface BatchSpanProcessorOptions {
  /** OTEL_BSP_MAX_QUEUE_SIZE, default 2048: spans past it are dropped and counted. */
  maxQueueSize?: number | undefined;
  /** OTEL_BSP_MAX_EXPORT_BATCH_SIZE, default 512 (never above maxQueueSize). */
  maxExportBatchSize?: number | undefined;
  /** OTEL_BSP_SCHEDULE_DELAY, default 5000 ms; 0 exports as soon as possible. */
  scheduledDelayMillis?: number | undefined;
  /** OTEL_BSP_EXPORT_TIMEOUT, default 30000 ms; 0: no limit (2³¹ − 1 ms). */
  exportTimeoutMillis?: number | undefined;
  /** Where OTEL_BSP_* are read; defaults to the process environment. */
  env?: EnvSource | undefined;
}

export interface BatchSpanProcessorStats {
  /** Spans handed to the exporter and reported exported. */
  readonly exported: number;
  /** Spans dropped because the queue was full. */
  readonly droppedQueueFull: number;
  /** Spans in batches the exporter failed (or timed out) on. */
  readonly failed: number;
  /** Spans waiting in the queue now. */
  readonly queued: number;
}

/** The longest delay `setTimeout` honours; beyond it timers fire at once. */
const MAX_TIMER_MILLIS = 2_147_483_647;

/**
 * One setting: the option, else OTEL_BSP_<name>, else the default. Values must be positive
 * (sizes), or may be 0 when `zero` says what 0 means (a Duration: 0; a Timeout: no limit).
 * Invalid values are reported (once for `env`) and treated as unset; all are capped at what timers
 * accept.
 */
function setting(
  option: number | undefined,
  env: EnvSource,
  name: string,
  fallback: number,
  zero?: number,
): number {
  return (
    check(option, env, name, zero) ??
    check(readCount(env, `OTEL_BSP_${name}`), env, name, zero) ??
    fallback
  );
}

function check(
  value: number | undefined,
  env: EnvSource,
  name: string,
  zero?: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (value > 0) return Math.min(value, MAX_TIMER_MILLIS);
  if (value === 0 && zero !== undefined) return zero;
  reportEnv(env, `BatchSpanProcessor: ${name} ${toText(value)} is invalid; ignored`);
  return undefined;
}

/**
 * Queues sampled spans and exports them in batches: when a batch is full, or `scheduledDelayMillis`
 * after the first span of a batch. One export runs at a time, so the queue is the only buffer and
 * memory stays bounded while a backend is down. Timers are unref'd; where they cannot be (a
 * runtime whose timers are numbers), the schedule's timer is cleared once a flush drains the queue.
 */
export class BatchSpanProcessor implements SpanProcessor {
  private readonly _maxQueue: number;
  private readonly _batchSize: number;
  private readonly _delay: number;
  private readonly _timeout: number;
  private readonly _queue: FinishedSpan[] = [];
  private readonly _failures = new FailureReporter('BatchSpanProcessor');
  private _timer: ReturnType<typeof setTimeout> | undefined;
  /** The pending timer is the immediate one (a full batch): nothing to reschedule. */
  private _timerIsImmediate = false;
  private _inFlight: Promise<void> | undefined;
  /** Spans ever queued, and spans whose export has settled: FIFO, so a count marks a position. */
  private _enqueued = 0;
  private _settled = 0;
  private _exported = 0;
  private _dropped = 0;
  private _failed = 0;
  /** `_failed` when the last flush settled: a flush fails when exports failed since. */
  private _failedBefore = 0;
  private _shutdown: Promise<FlushResult> | undefined;

  constructor(
    private readonly _exporter: SpanExporter,
    options: BatchSpanProcessorOptions = {},
  ) {
    const env = options.env ?? defaultEnv();
    this._maxQueue = setting(options.maxQueueSize, env, 'MAX_QUEUE_SIZE', 2048);
    this._batchSize = setting(options.maxExportBatchSize, env, 'MAX_EXPORT_BATCH_SIZE', 512);
    if (this._batchSize > this._maxQueue) {
      diag.warn('BatchSpanProcessor: maxExportBatchSize is above maxQueueSize; using maxQueueSize');
      this._batchSize = this._maxQueue;
    }
    this._delay = setting(options.scheduledDelayMillis, env, 'SCHEDULE_DELAY', 5000, 0);
    this._timeout = setting(
      options.exportTimeoutMillis,
      env,
      'EXPORT_TIMEOUT',
      30000,
      MAX_TIMER_MILLIS,
    );
  }

  onStart(_span: unknown, _parentContext: Context): void {}

  onEnd(span: FinishedSpan): void {
    if (this._shutdown !== undefined || !isSampled(span)) return;
    const queue = this._queue;
    if (queue.length >= this._maxQueue) {
      if (this._dropped++ === 0) {
        this._failures.report('queue full, spans dropped (raise maxQueueSize or lower the load)');
      }
      return;
    }
    queue.push(span);
    this._enqueued++;
    if (queue.length >= this._batchSize) this._schedule(0);
    else if (this._timer === undefined) this._schedule(this._delay);
  }

  /**
   * Resolves once every span queued before the call has been handed to the exporter and settled:
   * `failure` when an export failed since the last flush (or the exporter's own flush did), else
   * `success`.
   */
  forceFlush(): Promise<FlushResult> {
    // after shutdown: nothing more to flush, and the exporter is shut (spec: ignored gracefully)
    if (this._shutdown !== undefined) return this._shutdown;
    // Every flush compares with the mark at its start: two flushes waiting for one failed export
    // both say so (`_failed` only grows, and so does the mark).
    const since = this._failedBefore;
    return this._drain(this._enqueued)
      .then(() => this._exporter.forceFlush?.())
      .then(
        (): FlushResult => {
          this._failedBefore = this._failed;
          return this._failed > since ? 'failure' : 'success';
        },
        (error): FlushResult => {
          this._failedBefore = this._failed;
          this._failures.report('exporter forceFlush failed', error);
          return 'failure';
        },
      );
  }

  /**
   * Flushes (the queue, then the exporter's `forceFlush`: the spec's "Shutdown MUST include the
   * effects of ForceFlush"), shuts the exporter down, and ignores spans that end afterwards.
   * Idempotent.
   */
  shutdown(): Promise<FlushResult> {
    if (this._shutdown !== undefined) return this._shutdown;
    // The exporter is shut down even when its forceFlush failed: it may hold timers or sockets.
    this._shutdown = this.forceFlush()
      .then((result) => Promise.resolve(this._exporter.shutdown()).then(() => result))
      .catch((error): FlushResult => {
        this._failures.report('exporter shutdown failed', error);
        return 'failure';
      });
    if (this._timer !== undefined) clearTimeout(this._timer);
    this._timer = undefined;
    return this._shutdown;
  }

  stats(): BatchSpanProcessorStats {
    return {
      exported: this._exported,
      droppedQueueFull: this._dropped,
      failed: this._failed,
      queued: this._queue.length,
    };
  }

  private _schedule(ms: number): void {
    if (this._timer !== undefined) {
      // Without this check every span past a full batch re-armed a timer: 14% of a span's time
      // in a CPU profile (Node 20).
      if (ms !== 0 || this._timerIsImmediate) return;
      clearTimeout(this._timer);
    }
    this._timerIsImmediate = ms === 0;
    this._timer = unrefTimer(() => {
      this._timer = undefined;
      void this._exportNext();
    }, ms);
  }

  private async _drain(target: number): Promise<void> {
    while (this._settled < target) {
      if (this._inFlight !== undefined) await this._inFlight;
      else if (this._queue.length === 0) return;
      else await this._exportNext();
    }
  }

  /** Exports one batch unless one is in flight; then keeps the pipeline moving. Never rejects. */
  private _exportNext(): Promise<void> {
    if (this._inFlight !== undefined) return this._inFlight;
    if (this._queue.length === 0) return Promise.resolve();
    const batch = this._queue.splice(0, this._batchSize);
    // The batch is settled at its result; the next one waits for the exporter to call back, even
    // past the timeout: one export runs at a time.
    this._inFlight = new Promise<void>((returned) => {
      exportWithTimeout(
        this._exporter,
        batch,
        this._timeout,
        (outcome) => {
          this._settled += batch.length;
          if (outcome.code === ExportResultCode.SUCCESS) {
            this._exported += batch.length;
          } else {
            this._failed += batch.length;
            this._failures.report('export failed, spans dropped', outcome.error, batch.length);
          }
        },
        returned,
      );
    }).then(() => {
      this._inFlight = undefined;
      const queued = this._queue.length;
      if (queued >= this._batchSize) this._schedule(0);
      else if (queued > 0 && this._timer === undefined) this._schedule(this._delay);
      else if (queued === 0 && typeof this._timer === 'number') {
        // Drained by a flush: a timer that could not be unref'd (a number: Next.js's edge sandbox,
        // Deno) would keep the process from exiting until it fires, with nothing to export.
        clearTimeout(this._timer);
        this._timer = undefined;
      }
    });
    return this._inFlight;
  }
}
