import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import type { FinishedSpan } from '../../src/export/finished-span';
import { ExportResultCode, type SpanExporter } from '../../src/export/span-exporter';
import { SimpleSpanProcessor } from '../../src/processors/simple-span-processor';
import { TracerProvider, type TracerProviderOptions } from '../../src/trace/tracer-provider';

/** An exporter that keeps what it is given, in order. */
export class CollectingExporter implements SpanExporter {
  readonly spans: FinishedSpan[] = [];
  export(spans: FinishedSpan[], done: (result: { code: 0 | 1 }) => void): void {
    this.spans.push(...spans);
    done({ code: ExportResultCode.SUCCESS });
  }
  async shutdown(): Promise<void> {}
}

/** A provider exporting synchronously into `exporter.spans`; env is empty unless given. */
export function createTestProvider(options: TracerProviderOptions = {}) {
  const exporter = new CollectingExporter();
  const provider = new TracerProvider({
    env: {},
    ...options,
    spanProcessors: [new SimpleSpanProcessor(exporter), ...(options.spanProcessors ?? [])],
  });
  const tracer = provider.getTracer('test', '1.0.0');
  return { provider, tracer, exporter, spans: exporter.spans };
}

/** Captures diag output for the duration of a test; call `restore()` afterwards. */
export function captureDiag(level = DiagLogLevel.ALL) {
  const messages: Array<{ level: string; message: string }> = [];
  const logger: DiagLogger = {
    error: (message) => messages.push({ level: 'error', message }),
    warn: (message) => messages.push({ level: 'warn', message }),
    info: (message) => messages.push({ level: 'info', message }),
    debug: (message) => messages.push({ level: 'debug', message }),
    verbose: (message) => messages.push({ level: 'verbose', message }),
  };
  diag.setLogger(logger, { logLevel: level, suppressOverrideMessage: true });
  return {
    messages,
    text: () => messages.map((m) => `${m.level}: ${m.message}`).join('\n'),
    restore: () => diag.disable(),
  };
}
