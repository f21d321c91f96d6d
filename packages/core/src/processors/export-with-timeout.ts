import type { FinishedSpan } from '../export/finished-span';
import { type ExportResult, ExportResultCode, type SpanExporter } from '../export/span-exporter';
import { unrefTimer } from './unref-timer';

/**
 * Calls `exporter.export`, for the span processors. `onResult` gets its result once: the
 * exporter's, or a failure once `timeoutMs` passes, or when the exporter throws. `onReturned` runs
 * once the exporter has called back (or thrown), after `onResult` when the timeout came first: no
 * other export may start before (the SDK specification: "Export will never be called concurrently
 * for the same exporter instance"). Both run synchronously when the exporter answers so.
 */
export function exportWithTimeout(
  exporter: SpanExporter,
  spans: FinishedSpan[],
  timeoutMs: number,
  onResult: (result: ExportResult) => void,
  onReturned: () => void,
): void {
  let resulted = false;
  let returned = false;
  const result = (outcome: ExportResult) => {
    if (resulted) return;
    resulted = true;
    onResult(outcome);
  };
  const timer = unrefTimer(
    () =>
      result({
        code: ExportResultCode.FAILED,
        error: new Error(`export timed out after ${timeoutMs} ms`),
      }),
    timeoutMs,
  );
  const finish = (outcome: ExportResult) => {
    result(outcome);
    if (returned) return;
    returned = true;
    clearTimeout(timer);
    onReturned();
  };
  try {
    const value: unknown = exporter.export(spans, (outcome) =>
      finish(outcome ?? { code: ExportResultCode.FAILED }),
    );
    // An `async export` that throws rejects instead: a failed export, not an unhandled rejection
    // (which ends a Node process).
    if (value !== undefined) {
      Promise.resolve(value).catch((error) =>
        finish({ code: ExportResultCode.FAILED, error: error as Error }),
      );
    }
  } catch (error) {
    finish({ code: ExportResultCode.FAILED, error: error as Error });
  }
}
