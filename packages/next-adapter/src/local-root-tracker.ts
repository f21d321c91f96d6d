import { type Context, type Span, SpanKind, type TextMapPropagator } from '@opentelemetry/api';
import { type FinishedSpan, localRootOf, type SpanProcessor } from '@spanlite/core';
import type { FlushScheduler } from './flush-scheduler';
import { writeIncomingHeaders } from './runtime/edge';

/**
 * A span processor that reports each request's local root server span ending (Next.js's, or a
 * wrapper's) to the flush scheduler: one flush for all the ends of a tick, shared with the
 * wrappers' own flushes. It covers what no wrapper sees (pages, an edge route as the node server
 * sees it). It also notes segments kept from outside, for the `traceresponse` of their request.
 * It is made with the provider, from the same copy of `@spanlite/core`, so `localRootOf` knows
 * the provider's spans.
 */
export class LocalRootTracker implements SpanProcessor {
  private readonly _kept = new WeakSet<object>();
  /** Set by registerTracing. */
  flusher: FlushScheduler | undefined;

  /** Set by registerTracing: the configured propagator. */
  propagator: TextMapPropagator | undefined;

  /** Next.js's request span, in the node runtime: see `writeIncomingHeaders`. */
  onStart(span: Span & FinishedSpan, parentContext: Context): void {
    if (this.propagator !== undefined) writeIncomingHeaders(span, parentContext, this.propagator);
  }

  /** Set by registerTracing: a span ended after its local root `root` (see flush-late-span.ts). */
  onLateSpan: ((root: FinishedSpan) => void) | undefined;

  onEnd(span: FinishedSpan): void {
    if (this.flusher === undefined) return;
    const root = localRootOf(span);
    if (root === (span as unknown)) {
      if (span.kind === SpanKind.SERVER) this.flusher.rootEnded();
    } else if (root !== undefined && !root.isRecording()) {
      this.onLateSpan?.(root as unknown as FinishedSpan);
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  /** Notes that the segment of `span` was kept from outside (`keepTraceSegment`). */
  markKept(span: Span): void {
    this._kept.add(localRootOf(span) ?? span);
  }

  /** Whether the segment whose local root is `root` was kept from outside. */
  wasKept(root: Span): boolean {
    return this._kept.has(root);
  }
}
