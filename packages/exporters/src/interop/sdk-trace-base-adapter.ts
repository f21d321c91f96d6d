import type { SpanContext } from '@opentelemetry/api';
import {
  type ExportResult,
  ExportResultCode,
  type FinishedSpan,
  type InstrumentationScope,
  type SpanExporter,
} from '@spanlite/core';

/**
 * A span as `@opentelemetry/sdk-trace-base` hands it to an exporter: 2.x `ReadableSpan` has
 * spanlite's finished-span shape; 1.x names the parent by `parentSpanId` and the scope
 * `instrumentationLibrary`, and both are accepted.
 */
export type ReadableSpanLike = Omit<FinishedSpan, 'parentSpanContext' | 'instrumentationScope'> & {
  readonly parentSpanContext?: SpanContext | undefined;
  readonly parentSpanId?: string;
  readonly instrumentationScope?: InstrumentationScope;
  readonly instrumentationLibrary?: InstrumentationScope;
};

/** The exporter interface of `@opentelemetry/sdk-trace-base` (its `SpanExporter`). */
export interface SdkTraceBaseSpanExporter {
  export(spans: ReadableSpanLike[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush(): Promise<void>;
}

/**
 * Lets a spanlite exporter (say, `OtlpTraceExporter`) serve `@opentelemetry/sdk-trace-base`'s
 * `BatchSpanProcessor` or `SimpleSpanProcessor`. Spans with the 2.x fields pass through untouched,
 * whatever 1.x names they also have (core's spans have both); 1.x spans get a thin view with the
 * 2.x names. 1.x does not tell whether a span's parent was remote: the parent context rebuilt
 * from its `parentSpanId` has `isRemote: null`, which the OTLP exporter sends as unknown.
 */
export function toSdkTraceBaseExporter(exporter: SpanExporter): SdkTraceBaseSpanExporter {
  return {
    export(spans, resultCallback) {
      let converted: FinishedSpan[] | undefined;
      try {
        for (let i = 0; i < spans.length; i++) {
          const span = spans[i]!;
          if (
            span.instrumentationScope === undefined ||
            (span.parentSpanContext === undefined && span.parentSpanId)
          ) {
            converted ??= spans.slice(0, i) as FinishedSpan[];
            converted[i] = fromLegacySpan(span);
          } else if (converted) converted[i] = span as FinishedSpan;
        }
      } catch (error) {
        // a span whose spanContext() throws: the batch fails, through the callback
        resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
        return;
      }
      exporter.export(converted ?? (spans as FinishedSpan[]), resultCallback);
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => (exporter.forceFlush ? exporter.forceFlush() : Promise.resolve()),
  };
}

function fromLegacySpan(span: ReadableSpanLike): FinishedSpan {
  const context = span.spanContext();
  const parentSpanContext =
    span.parentSpanContext ??
    (span.parentSpanId
      ? {
          traceId: context.traceId,
          spanId: span.parentSpanId,
          traceFlags: context.traceFlags,
          // neither remote nor local: unknown (the API's type has no third state)
          isRemote: null as unknown as boolean,
        }
      : undefined);
  const instrumentationScope = span.instrumentationScope ??
    span.instrumentationLibrary ?? { name: '' };
  return Object.create(span, {
    parentSpanContext: { value: parentSpanContext },
    instrumentationScope: { value: instrumentationScope },
  }) as FinishedSpan;
}
