import type { FinishedSpan } from '../export/finished-span';
import { type ExportResult, ExportResultCode, type SpanExporter } from '../export/span-exporter';
import { unrefTimer } from './unref-timer';

/** An export under a timeout: its result, and when the exporter itself called back. */
export interface TimedExport {
  /** The exporter's result, or a failure once the timeout passes or when it throws. Never rejects. */
  result: Promise<ExportResult>;
  /**
   * Settles when the exporter has called back (or thrown): after `result` when the timeout came
   * first. No other export may start before (the SDK specification: "Export will never be called
   * concurrently for the same exporter instance").
   */
  returned: Promise<void>;
}

/**
 * Calls `exporter.export`; `result` settles with its result, or with a failure once `timeoutMs`
 * passes, or when the exporter throws. Never rejects.
 */
export function exportWithTimeout(
  exporter: SpanExporter,
  spans: FinishedSpan[],
  timeoutMs: number,
): TimedExport {
  let settle!: (result: ExportResult) => void;
  let markReturned!: () => void;
  const result = new Promise<ExportResult>((resolve) => {
    settle = resolve;
  });
  const returned = new Promise<void>((resolve) => {
    markReturned = resolve;
  });
  const timer = unrefTimer(
    () =>
      settle({
        code: ExportResultCode.FAILED,
        error: new Error(`export timed out after ${timeoutMs} ms`),
      }),
    timeoutMs,
  );
  const finish = (outcome: ExportResult) => {
    clearTimeout(timer);
    settle(outcome);
    markReturned();
  };
  try {
    exporter.export(spans, (outcome) => finish(outcome ?? { code: ExportResultCode.FAILED }));
  } catch (error) {
    finish({ code: ExportResultCode.FAILED, error: error as Error });
  }
  return { result, returned };
}
