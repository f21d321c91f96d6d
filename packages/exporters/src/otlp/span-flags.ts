import type { SpanContext } from '@opentelemetry/api';

/** OTLP `SpanFlags`: bit 8 says whether the remote bit is known, bit 9 carries it. */
export const SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE = 0x100;
export const SPAN_FLAGS_CONTEXT_IS_REMOTE = 0x200;

/**
 * The `flags` field of a span or a link: the W3C trace flags in the low byte, and whether the
 * parent (for a span) or the linked context (for a link) was remote. An SDK knows it: `undefined`
 * is "not remote", as in the reference exporter (sdk-trace-base leaves it out of its local
 * contexts). `null` is unknown, bits 8 and 9 clear ("the 3 states of whether a span's parent is
 * remote ... (unknown, is not remote, is remote)"): the parent that `toSdkTraceBaseExporter`
 * rebuilds from a 1.x span's `parentSpanId`.
 */
export function spanFlags(traceFlags: number, isRemote: boolean | null | undefined): number {
  return isRemote === null
    ? traceFlags & 0xff
    : (traceFlags & 0xff) |
        SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE |
        (isRemote ? SPAN_FLAGS_CONTEXT_IS_REMOTE : 0);
}

/** The OTLP flags of a span: its own trace flags, and whether its parent came from another process. */
export function flagsOfSpan(context: SpanContext, parent: SpanContext | undefined): number {
  return spanFlags(context.traceFlags, parent?.isRemote);
}
