import type { FinishedSpan } from './finished-span';

export const ExportResultCode = { SUCCESS: 0, FAILED: 1 } as const;
export type ExportResultCode = (typeof ExportResultCode)[keyof typeof ExportResultCode];

export interface ExportResult {
  readonly code: ExportResultCode;
  readonly error?: Error;
}

/**
 * Receives batches of finished spans. The contract is the reference SDK's: `export` reports
 * through its callback exactly once and never throws; `shutdown` releases resources and makes
 * later exports fail fast.
 */
export interface SpanExporter {
  export(spans: FinishedSpan[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}
