import type { Attributes, Span, SpanKind } from '@opentelemetry/api';

/** The instrumentation scope of the spans this package starts. */
export const INSTRUMENTATION_NAME = '@spanlite/next';

/** The instrumentation scope of Next.js's own spans. */
export const NEXT_SCOPE = 'next.js';

/** An active span's kind, which spanlite's spans carry (another SDK's may not: undefined). */
export function kindOf(span: Span): SpanKind | undefined {
  return (span as { kind?: SpanKind }).kind;
}

/** An attribute of an active span, which spanlite's spans carry (another SDK's may not: undefined). */
export function attributeOf(span: Span, key: string): unknown {
  return (span as { attributes?: Attributes }).attributes?.[key];
}

/** Whether an active span is one of Next.js's (its tracer's scope, as spanlite's spans carry it). */
export function isNextJsSpan(span: Span): boolean {
  return (
    (span as { instrumentationScope?: { name?: string } }).instrumentationScope?.name === NEXT_SCOPE
  );
}

/**
 * Next.js's spans that record a throw themselves: its tracer gives the span an `exception` event
 * and ERROR as a throw leaves the code it wraps. These are the spans a wrapper enriches in the
 * edge sandbox, `Middleware.execute` (middleware) and `AppRouteRouteHandlers.runHandler` (an edge
 * route). Next.js's request span, `BaseServer.handleRequest`, is not among them: there Next.js
 * catches the throw and answers 500.
 */
const RECORDING_THROWS = ['Middleware.execute', 'AppRouteRouteHandlers.runHandler'];

/** Whether Next.js records a throw on `span` itself (see RECORDING_THROWS). */
export function nextRecordsThrow(span: Span): boolean {
  return (
    isNextJsSpan(span) && RECORDING_THROWS.includes(attributeOf(span, 'next.span_type') as string)
  );
}
