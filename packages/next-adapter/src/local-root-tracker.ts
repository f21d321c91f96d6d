import { type Span, SpanKind } from '@opentelemetry/api';
import type { FinishedSpan, SpanProcessor } from '@spanlite/core';

/** A span of `@spanlite/core` (any copy of it): it knows its parent, a span or a remote context. */
interface LinkedSpan {
  readonly parent: unknown;
  isRecording(): boolean;
}

function isLinkedSpan(value: unknown): value is LinkedSpan {
  return (
    typeof value === 'object' &&
    value !== null &&
    'parent' in value &&
    typeof (value as { isRecording?: unknown }).isRecording === 'function'
  );
}

/**
 * The local root of `span`: the first span of this process below a remote parent, or without one,
 * found by walking core's `parent` links. Undefined for spans that are not spanlite's.
 * (An earlier WeakMap filled by `onStart` for every span cost ~11 % of a wrapped request and a
 * good part of its garbage collection in bench/src/next.bench.mjs; the walk allocates nothing.)
 */
export function localRootOf(span: Span | undefined): Span | undefined {
  if (!isLinkedSpan(span)) return undefined;
  let current: LinkedSpan = span;
  for (let depth = 0; depth < 1000 && isLinkedSpan(current.parent); depth++) {
    current = current.parent;
  }
  return current as unknown as Span;
}

/**
 * A span processor that flushes when a request's local root server span ends (Next.js's, or a
 * wrapper's): one flush for all the ends of a tick, shared with the wrappers' own flushes. It
 * covers what no wrapper sees (pages, an edge route as the node server sees it). It also notes
 * segments kept from outside, for the `traceresponse` of their request.
 */
export class LocalRootTracker implements SpanProcessor {
  private readonly _kept = new WeakSet<object>();
  /** Set by registerTracing: exports what has ended, joining a pending flush. */
  flush: (() => Promise<void>) | undefined;

  onStart(): void {}

  onEnd(span: FinishedSpan): void {
    if (span.kind !== SpanKind.SERVER || this.flush === undefined) return;
    if (isLinkedSpan((span as unknown as LinkedSpan).parent)) return;
    void this.flush();
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
