import { type Context, type Span, SpanKind, trace } from '@opentelemetry/api';
import type { FinishedSpan, SpanProcessor } from '@spanlite/core';

/**
 * A span processor that remembers, for each recording span, the local root of its trace segment
 * (the first span of this process below a remote parent, or without one). The wrappers enrich that
 * span, Next.js's own request span, instead of starting a second server span. One WeakMap entry
 * per span; nothing is retained once a span is unreachable.
 *
 * It also flushes when a request's server span ends that no wrapper handled (Next.js's spans of a
 * page, or of an edge route as seen from the node server): one flush for all such ends of a tick.
 */
export class LocalRootTracker implements SpanProcessor {
  private readonly _roots = new WeakMap<object, Span>();
  private readonly _kept = new WeakSet<object>();
  private readonly _handled = new WeakSet<object>();
  private _flushScheduled = false;
  /** Set by registerTracing: exports what has ended. */
  flush: (() => Promise<void>) | undefined;

  onStart(span: Span, parentContext: Context): void {
    const parent = trace.getSpan(parentContext);
    const parentRoot = parent === undefined ? undefined : this._roots.get(parent);
    this._roots.set(span, parentRoot ?? span);
  }

  onEnd(span: FinishedSpan): void {
    if (span.kind !== SpanKind.SERVER || this._flushScheduled || this.flush === undefined) return;
    if (this._roots.get(span) !== (span as object) || this._handled.has(span)) return;
    this._flushScheduled = true;
    this.flush().finally(() => {
      this._flushScheduled = false;
    });
  }

  /** A wrapper handles the request of this root span and flushes after it. */
  markHandled(root: Span): void {
    this._handled.add(root);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  /** Notes that the segment of `span` was kept from outside (`keepTraceSegment`). */
  markKept(span: Span): void {
    this._kept.add(this._roots.get(span) ?? span);
  }

  /** Whether the segment whose local root is `root` was kept from outside. */
  wasKept(root: Span): boolean {
    return this._kept.has(root);
  }

  /** The local root of `span`, if this tracker saw it start. */
  rootOf(span: Span | undefined): Span | undefined {
    return span === undefined ? undefined : this._roots.get(span);
  }
}
