import type { FinishedSpan } from '../export/finished-span';
import { type ExportResult, ExportResultCode, type SpanExporter } from '../export/span-exporter';
import { unrefTimer } from './unref-timer';

/**
 * Calls `exporter.export` and settles with its result, or with a failure once `timeoutMs` passes,
 * or when the exporter throws. Never rejects.
 */
export function exportWithTimeout(
  exporter: SpanExporter,
  spans: FinishedSpan[],
  timeoutMs: number,
): Promise<ExportResult> {
  return new Promise<ExportResult>((resolve) => {
    let done = false;
    const finish = (result: ExportResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = unrefTimer(
      () =>
        finish({
          code: ExportResultCode.FAILED,
          error: new Error(`export timed out after ${timeoutMs} ms`),
        }),
      timeoutMs,
    );
    try {
      exporter.export(spans, (result) => finish(result ?? { code: ExportResultCode.FAILED }));
    } catch (error) {
      finish({ code: ExportResultCode.FAILED, error: error as Error });
    }
  });
}
