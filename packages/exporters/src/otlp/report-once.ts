import { diag } from '@opentelemetry/api';

/**
 * Each kind of failure is logged once through OpenTelemetry's `diag`, then only counted: a
 * backend that is down for an hour must not fill the application's logs. Never throws.
 */
export class ReportOnce {
  private readonly seen = new Set<string>();
  /** Reports that were counted instead of logged. */
  suppressed = 0;

  warn(kind: string, message: string): void {
    this.report(kind, message, 'warn');
  }

  error(kind: string, message: string): void {
    this.report(kind, message, 'error');
  }

  private report(kind: string, message: string, level: 'warn' | 'error'): void {
    if (this.seen.has(kind)) {
      this.suppressed++;
      return;
    }
    this.seen.add(kind);
    try {
      diag[level](`@spanlite/exporters: ${message} (reported once; later occurrences are counted)`);
    } catch {
      // A throwing diag logger must not turn an export failure into an application failure.
    }
  }
}
