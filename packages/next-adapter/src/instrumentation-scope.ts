import type { Span, SpanKind } from '@opentelemetry/api';

/** The instrumentation scope of the spans this package starts. */
export const INSTRUMENTATION_NAME = '@spanlite/next';

/** The instrumentation scope of Next.js's own spans. */
export const NEXT_SCOPE = 'next.js';

/** An active span's kind, which spanlite's spans carry (another SDK's may not: undefined). */
export function kindOf(span: Span): SpanKind | undefined {
  return (span as { kind?: SpanKind }).kind;
}

/** Whether an active span is one of Next.js's (its tracer's scope, as spanlite's spans carry it). */
export function isNextJsSpan(span: Span): boolean {
  return (
    (span as { instrumentationScope?: { name?: string } }).instrumentationScope?.name === NEXT_SCOPE
  );
}
