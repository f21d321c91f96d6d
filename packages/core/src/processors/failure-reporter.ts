import { diag } from '@opentelemetry/api';

/**
 * The one place asynchronous failures (exports, timers) go: each kind is logged once through
 * `diag`, then only counted, so a dead backend cannot flood the application's logs. It never throws.
 */
export class FailureReporter {
  private readonly _counts = new Map<string, number>();

  constructor(private readonly _source: string) {}

  report(kind: string, error?: unknown, count = 1): void {
    try {
      const seen = this._counts.get(kind) ?? 0;
      this._counts.set(kind, seen + count);
      if (seen === 0) {
        const detail =
          error instanceof Error ? error.message : error === undefined ? '' : String(error);
        diag.error(
          `${this._source}: ${kind}${detail ? `: ${detail}` : ''} (further occurrences are counted, not logged)`,
        );
      }
    } catch {
      // a logger that throws must not take the reporter down
    }
  }

  counts(): Record<string, number> {
    return Object.fromEntries(this._counts);
  }
}
