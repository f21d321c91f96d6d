import { type Context, type Span, SpanKind, type TextMapPropagator } from '@opentelemetry/api';
import { type FinishedSpan, localRootOf, type SpanProcessor } from '@spanlite/core';
import type { FlushScheduler } from './flush-scheduler';
import { NEXT_SCOPE } from './instrumentation-scope';
import { type RoutePin, settleRequestSpan } from './next-request-span';
import { requestSpanStarting } from './runtime/edge';

/**
 * A span processor that reports each request's local root server span ending (Next.js's, or a
 * wrapper's) to the flush scheduler: one flush for all the ends of a tick, shared with the
 * wrappers' own flushes. It covers what no wrapper sees (pages, an edge route as the node server
 * sees it). It also tidies Next.js's request spans as they end (see settleRequestSpan).
 * It is made with the provider, from the same copy of `@spanlite/core`, so `localRootOf` knows
 * the provider's spans.
 */
export class LocalRootTracker implements SpanProcessor {
  /** Request spans of Next.js's that a wrapper named, until they end (see `pinRoute`). */
  private readonly _routes = new WeakMap<object, RoutePin>();
  private _pinned = 0;
  /** Set by registerTracing. */
  flusher: FlushScheduler | undefined;

  /** Set by registerTracing: the app's basePath (`/docs`), or `''`. */
  basePath = '';

  /** Set by registerTracing: the configured propagator. */
  propagator: TextMapPropagator | undefined;

  /** Set by registerTracing: the request headers recorded on Next.js's request spans. */
  requestHeaders: readonly string[] = [];

  /**
   * Next.js's request spans by the local root Next.js started above them: with
   * `NEXT_OTEL_VERBOSE=1`, `NextServer.getRequestHandler` > `getServerRequestHandler` (INTERNAL)
   * come first. The request span stands for the request to the wrappers (see `requestSpanOf`);
   * the root, which ends after it, asks for the flush.
   */
  private readonly _requestSpans = new WeakMap<object, Span>();
  private _nested = false;

  /** Next.js's request span starting, in the node runtime: see `requestSpanStarting`. */
  onStart(span: Span & FinishedSpan, parentContext: Context): void {
    requestSpanStarting(this, span, parentContext);
  }

  /** The span that stands for the request whose local root is `root`: see `_requestSpans`. */
  requestSpanOf(root: Span | undefined): Span | undefined {
    return this._nested && root !== undefined ? (this._requestSpans.get(root) ?? root) : root;
  }

  /** `span` is Next.js's request span below its local root `root`: see `_requestSpans`. */
  nestRequestSpan(root: Span, span: Span): void {
    this._requestSpans.set(root, span);
    this._nested = true;
  }

  /**
   * Set by registerTracing: the flush asked for as a local root server span ended, to keep its
   * request alive for (a page, or an edge route as the node server sees it, has no wrapper to).
   */
  onRootFlush: ((flush: Promise<unknown>) => void) | undefined;

  /** Set by registerTracing: `span` ended after its local root `root` (see flush-late-span.ts). */
  onLateSpan: ((root: FinishedSpan, span: FinishedSpan) => void) | undefined;

  /**
   * Notes the method and route a wrapper named Next.js's request span `span` with, for when it
   * ends: Next.js 14 and 15 name it again from the route file (see settleRequestSpan).
   */
  pinRoute(span: Span, method: string, route: string | undefined): void {
    if (!this._routes.has(span)) this._pinned++;
    this._routes.set(span, { method, route });
  }

  /**
   * Next.js's request spans, and those a wrapper enriched, are tidied as they end; a local root
   * server span ending asks for the flush.
   */
  onEnding(span: Span & FinishedSpan): void {
    const pin = this._pinned === 0 ? undefined : this._routes.get(span);
    if (span.kind === SpanKind.SERVER || (this._nested && this._requestSpans.has(span))) {
      this._rootEnding(span);
    } else this.flusher?.waitedRootEnding(span);
    if (pin !== undefined) {
      this._routes.delete(span);
      this._pinned--;
    } else if (span.kind !== SpanKind.SERVER) {
      return;
    }
    const nextJs = span.instrumentationScope.name === NEXT_SCOPE;
    if (pin !== undefined || nextJs) settleRequestSpan(span, pin, nextJs, this.basePath);
  }

  /**
   * Asked in onEnding, which every recording span reaches: a root that error-always sampling
   * discards reaches no onEnd, and its request would wait for the scheduler's poll, a timer that
   * workerd cancels with the request that armed it. The flush starts a tick later, once the span
   * has reached the processors.
   */
  private _rootEnding(span: Span): void {
    if (this.flusher === undefined) return;
    if (localRootOf(span) !== span) {
      this.flusher.waitedRootEnding(span);
      return;
    }
    const flush = this.flusher.rootEnded(span);
    if (flush !== undefined) this.onRootFlush?.(flush);
  }

  onEnd(span: FinishedSpan): void {
    if (this.onLateSpan === undefined) return;
    const root = localRootOf(span);
    if (root !== undefined && root !== (span as unknown) && !root.isRecording()) {
      this.onLateSpan(root as unknown as FinishedSpan, span);
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
