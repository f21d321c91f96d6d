/**
 * How a `forceFlush` or `shutdown` went: the specification asks both to "provide a way to let the
 * caller know whether it succeeded, failed or timed out" (trace/sdk.md). spanlite's calls resolve
 * with it and never reject, so an awaited flush cannot throw into the application when the backend
 * is down; the failure itself is also reported through `diag`.
 * - `success`: everything it waited for was exported;
 * - `failure`: an export (or a processor, or the exporter's own flush) failed;
 * - `timeout`: a processor had not finished within the provider's `forceFlushTimeoutMillis`.
 */
export type FlushResult = 'success' | 'failure' | 'timeout';

/** The result of several: a failure, else a timeout, else success. */
export function combineFlushResults(results: readonly FlushResult[]): FlushResult {
  return results.includes('failure')
    ? 'failure'
    : results.includes('timeout')
      ? 'timeout'
      : 'success';
}
