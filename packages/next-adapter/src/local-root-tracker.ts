import { type Context, type Span, SpanKind, type TextMapPropagator } from '@opentelemetry/api';
import { type FinishedSpan, localRootOf, type SpanProcessor } from '@spanlite/core';
import { appRouteOfFile } from './app-route-of-file';
import type { FlushScheduler } from './flush-scheduler';
import { NEXT_SCOPE } from './instrumentation-scope';
import { redactRequestTarget } from './redact-query';
import { writeIncomingHeaders } from './runtime/edge';

interface RoutePin {
  readonly method: string;
  readonly route: string | undefined;
}

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
  /** Request spans of Next.js's that a wrapper named, until they end (see `pinRoute`). */
  private readonly _routes = new WeakMap<object, RoutePin>();
  private _pinned = 0;
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

  /**
   * Holds the name and `http.route` a wrapper gave Next.js's request span `span` until it ends.
   * Next.js 14 and 15 name that span again once the handler has returned, from the route file's
   * path (`GET /api/items/route`, `http.route` `/api/items/route`); Next.js 16 writes the route
   * there. Without a `route` option, such a file path is turned into its route.
   */
  pinRoute(span: Span, method: string, route: string | undefined): void {
    if (!this._routes.has(span)) this._pinned++;
    this._routes.set(span, { method, route });
  }

  /**
   * Also redacts signed-URL secrets in the `http.target` and name of Next.js's request spans:
   * Next.js writes the path with the query as received (and, on 14 and 15, names the span so when
   * middleware matches).
   */
  onEnding(span: Span & FinishedSpan): void {
    const pin = this._pinned === 0 ? undefined : this._routes.get(span);
    if (
      pin !== undefined ||
      (span.kind === SpanKind.SERVER && span.instrumentationScope.name === NEXT_SCOPE)
    ) {
      redactRequestTarget(span);
    }
    if (pin === undefined) return;
    this._routes.delete(span);
    this._pinned--;
    let route = pin.route;
    if (route === undefined) {
      const written = span.attributes['http.route'];
      if (typeof written !== 'string' || !written.endsWith('/route')) return;
      route = appRouteOfFile(written);
    }
    span.setAttribute('http.route', route);
    span.updateName(`${pin.method} ${route}`);
  }

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
