import { diag } from '@opentelemetry/api';

/**
 * Each kind of failure is logged once through OpenTelemetry's `diag`, then only counted: a
 * backend that is down for an hour must not fill the application's logs. Never throws.
 */
export class ReportOnce {
  private readonly _seen = new Set<string>();
  /** Reports that were counted instead of logged. */
  _suppressed = 0;

  warn(kind: string, message: string): void {
    this._report(kind, message, 'warn');
  }

  error(kind: string, message: string): void {
    this._report(kind, message, 'error');
  }

  private _report(kind: string, message: string, level: 'warn' | 'error'): void {
    if (this._seen.has(kind)) {
      this._suppressed++;
      return;
    }
    this._seen.add(kind);
    try {
      diag[level](`@spanlite/exporters: ${message} (reported once; later occurrences are counted)`);
    } catch {
      // A throwing diag logger must not turn an export failure into an application failure.
    }
  }
}
