import type { Context } from '@opentelemetry/api';
import type { FinishedSpan } from '../export/finished-span';
import { ExportResultCode, type SpanExporter } from '../export/span-exporter';
import { exportWithTimeout } from './export-with-timeout';
import { FailureReporter } from './failure-reporter';
import { isSampled, type SpanProcessor } from './span-processor';

/**
 * Exports each sampled span as it ends, one export call per span: for tests and debugging;
 * use BatchSpanProcessor in production.
 */
export class SimpleSpanProcessor implements SpanProcessor {
  private readonly _pending = new Set<Promise<void>>();
  private readonly _failures = new FailureReporter('SimpleSpanProcessor');
  private _shutdown: Promise<void> | undefined;

  constructor(
    private readonly _exporter: SpanExporter,
    private readonly _exportTimeoutMillis = 30000,
  ) {}

  onStart(_span: unknown, _parentContext: Context): void {}

  onEnd(span: FinishedSpan): void {
    if (this._shutdown !== undefined || !isSampled(span)) return;
    const pending: Promise<void> = exportWithTimeout(
      this._exporter,
      [span],
      this._exportTimeoutMillis,
    ).then((result) => {
      this._pending.delete(pending);
      if (result.code !== ExportResultCode.SUCCESS) {
        this._failures.report('export failed, span dropped', result.error);
      }
    });
    this._pending.add(pending);
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this._pending);
    try {
      await this._exporter.forceFlush?.();
    } catch (error) {
      this._failures.report('exporter forceFlush failed', error);
    }
  }

  shutdown(): Promise<void> {
    this._shutdown ??= this.forceFlush()
      .then(() => this._exporter.shutdown())
      .catch((error) => this._failures.report('exporter shutdown failed', error));
    return this._shutdown;
  }
}
