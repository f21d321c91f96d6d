import { type HrTime, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  type ExportResult,
  ExportResultCode,
  type FinishedSpan,
  type SpanExporter,
} from '@spanlite/core';

export interface ConsoleSpanExporterOptions {
  /** Receives each trace's text. Default `console.log`. */
  write?: ((text: string) => void) | undefined;
}

/**
 * Prints each trace of a batch as an indented tree, children under their parent in start order,
 * with durations, kinds and error statuses:
 *
 * ```
 * trace 5b8aa5a2d2c872e8321cf37308d69df2
 * └─ GET /checkout  41.2 ms  server
 *    ├─ load cart  3.10 ms
 *    └─ charge  35.0 ms  client  ERROR card declined
 * ```
 * A span whose parent is not in the batch (it ended later, or is remote) is drawn as a root.
 */
export class ConsoleSpanExporter implements SpanExporter {
  private readonly write: (text: string) => void;
  private stopped = false;

  constructor(options: ConsoleSpanExporterOptions = {}) {
    this.write = options.write ?? ((text) => console.log(text));
  }

  /** Prints the batch; after `shutdown` it prints nothing and fails (trace/sdk.md, Shutdown). */
  export(spans: FinishedSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.stopped) {
      resultCallback({
        code: ExportResultCode.FAILED,
        error: new Error('ConsoleSpanExporter is shut down'),
      });
      return;
    }
    try {
      for (const text of formatTraces(spans)) this.write(text);
    } catch (error) {
      resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
      return;
    }
    // Outside the try: a callback that throws is not called a second time, with FAILED.
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }
}

/** One text per trace, in order of each trace's first span in the batch. */
export function formatTraces(spans: readonly FinishedSpan[]): string[] {
  const traces = new Map<string, FinishedSpan[]>();
  for (const span of spans) {
    const traceId = span.spanContext().traceId;
    const list = traces.get(traceId);
    if (list) list.push(span);
    else traces.set(traceId, [span]);
  }
  const texts: string[] = [];
  for (const [traceId, members] of traces) {
    const ids = new Set(members.map((span) => span.spanContext().spanId));
    const children = new Map<string, FinishedSpan[]>();
    const roots: FinishedSpan[] = [];
    for (const span of members) {
      const parentId = span.parentSpanContext?.spanId;
      if (parentId && ids.has(parentId) && parentId !== span.spanContext().spanId) {
        const list = children.get(parentId);
        if (list) list.push(span);
        else children.set(parentId, [span]);
      } else roots.push(span);
    }
    const lines = [`trace ${traceId}`];
    const visit = (list: FinishedSpan[], prefix: string) => {
      list.sort(byStartTime);
      list.forEach((span, index) => {
        const last = index === list.length - 1;
        lines.push(`${prefix}${last ? '└─ ' : '├─ '}${describeSpan(span)}`);
        const kids = children.get(span.spanContext().spanId);
        if (kids) visit(kids, `${prefix}${last ? '   ' : '│  '}`);
      });
    };
    visit(roots, '');
    texts.push(lines.join('\n'));
  }
  return texts;
}

function describeSpan(span: FinishedSpan): string {
  let text = `${span.name}  ${formatDuration(span.duration)}`;
  if (span.kind !== SpanKind.INTERNAL) text += `  ${KIND_NAMES[span.kind] ?? span.kind}`;
  if (span.status.code === SpanStatusCode.ERROR) {
    text += `  ERROR${span.status.message ? ` ${span.status.message}` : ''}`;
  }
  return text;
}

const KIND_NAMES: Record<number, string> = {
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

function byStartTime(a: FinishedSpan, b: FinishedSpan): number {
  return a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1];
}

/**
 * Three significant digits in the unit that suits: µs, ms or s, chosen after rounding, so that
 * 999.6 µs is `1.00 ms`, not `1000 µs`. From 1000 s on, whole seconds.
 */
export function formatDuration(duration: HrTime): string {
  const micros = duration[0] * 1e6 + duration[1] / 1e3;
  const inMicros = Number(micros.toPrecision(3));
  if (inMicros < 1000) return `${inMicros} µs`;
  const inMillis = (micros / 1000).toPrecision(3);
  if (Number(inMillis) < 1000) return `${inMillis} ms`;
  const inSeconds = (micros / 1e6).toPrecision(3);
  if (Number(inSeconds) < 1000) return `${inSeconds} s`;
  return `${Math.round(micros / 1e6)} s`;
}
