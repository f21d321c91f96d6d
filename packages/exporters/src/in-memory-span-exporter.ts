import {
  type ExportResult,
  ExportResultCode,
  type FinishedSpan,
  type SpanExporter,
} from '@spanlite/core';

/**
 * Keeps every exported span in memory, for tests of instrumented code. After `shutdown` it keeps
 * nothing more and fails exports, as the reference SDK's in-memory exporter does.
 */
export class InMemorySpanExporter implements SpanExporter {
  private spans: FinishedSpan[] = [];
  private stopped = false;

  export(spans: FinishedSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.stopped) {
      resultCallback({
        code: ExportResultCode.FAILED,
        error: new Error('InMemorySpanExporter is shut down'),
      });
      return;
    }
    for (const span of spans) this.spans.push(span);
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  /** The spans exported so far, oldest first. */
  getFinishedSpans(): FinishedSpan[] {
    return this.spans.slice();
  }

  /** Forgets the spans exported so far. */
  reset(): void {
    this.spans = [];
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.stopped = true;
    this.spans = [];
    return Promise.resolve();
  }
}
