import type { Span, TextMapPropagator, Tracer } from '@opentelemetry/api';
import type { TracerProvider } from '@spanlite/core';
import type { ContextAccess } from './context-access';
import type { FlushScheduler } from './flush-scheduler';
import type { LocalRootTracker } from './local-root-tracker';
import type { PropagationTest } from './propagation-targets';
import type { RequestData } from './request-data';
import type { RequestContextLookup } from './wait-until';

/** What `registerTracing` resolved once, read by the wrappers on every request. */
export interface TracingState {
  readonly provider: TracerProvider;
  readonly propagator: TextMapPropagator;
  /** The registered context manager, or the API where another one is registered. */
  readonly context: ContextAccess;
  /** The tracer of the wrappers' own spans (server spans outside Next.js, client spans). */
  readonly tracer: Tracer;
  readonly tracker: LocalRootTracker;
  readonly flusher: FlushScheduler;
  /**
   * `keepTraceSegment` of the copy of `@spanlite/core` that made the provider: a Next.js app may
   * bundle this package once per route, and the core's `instanceof` checks need the provider's copy.
   */
  readonly keepTraceSegment: (span: Span) => boolean;
  /** `isTraceSegmentKept` of that same copy of `@spanlite/core`. */
  readonly isTraceSegmentKept: (span: Span) => boolean;
  /**
   * The span that stands for the request of a span: its local root (`localRootOf` of that same
   * copy of `@spanlite/core`), or Next.js's request span below it (see LocalRootTracker).
   */
  readonly requestSpanOf: (span: Span | undefined) => Span | undefined;
  /** Request headers recorded as `http.request.header.<name>` (lowercase), `x-request-id` first. */
  readonly requestHeaders: readonly string[];
  /** Whether an outbound fetch may carry trace headers (`propagateTo`, read once). */
  readonly propagateTo: PropagationTest;
  readonly traceResponse: boolean;
  readonly serverTiming: boolean;
  /** Next.js's request context store, looked up once found (see schedule-flush.ts). */
  readonly requestContext: RequestContextLookup;
  /** `after` of `next/server`, when the app passed it. */
  readonly after: ((task: () => unknown) => void) | undefined;
  /** Methods recorded as they are; others are `_OTHER` (OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS). */
  readonly knownMethods: ReadonlySet<string>;
  /** Reads a request's URL and headers without Next.js taking it for the handler's reading. */
  readonly readRequest: (request: Request) => RequestData;
  /** Whether Next.js is prerendering the route being handled, whose response it will cache. */
  readonly prerendering: () => boolean;
}

// Each Next.js edge entry has its own globals, and so its own state; a symbol survives a module
// being bundled twice (webpack layers) within one entry.
const STATE_KEY = Symbol.for('@spanlite/next.state');

/**
 * The state read last, so that a request reads no global: in the edge runtime's VM (and Next.js's
 * edge sandbox) a global read goes through the context's interceptor (~1 µs a request in
 * bench/src/next.bench.mjs). The global stays the source: a state set by another copy of this
 * module is found there while this copy has none.
 */
let current: TracingState | undefined;

export function getTracingState(): TracingState | undefined {
  return current ?? (current = (globalThis as Record<symbol, TracingState | undefined>)[STATE_KEY]);
}

export function setTracingState(state: TracingState | undefined): void {
  (globalThis as Record<symbol, TracingState | undefined>)[STATE_KEY] = state;
  current = state;
  if (state === undefined) setDisabledRegistration(undefined);
}

// A registration with OTEL_SDK_DISABLED=true has no state (the wrappers call handlers as they
// are), but a second copy of this package in the same globals (OpenNext runs the middleware's and
// the server's in one Worker) must still find it, or it registers the context manager and the
// propagator again.
const DISABLED_KEY = Symbol.for('@spanlite/next.disabled');

export function disabledRegistration(): TracerProvider | undefined {
  return (globalThis as Record<symbol, TracerProvider | undefined>)[DISABLED_KEY];
}

export function setDisabledRegistration(provider: TracerProvider | undefined): void {
  (globalThis as Record<symbol, TracerProvider | undefined>)[DISABLED_KEY] = provider;
}
