import type { Span } from '@opentelemetry/api';
import type { FinishedSpan } from '../export/finished-span';
import { RecordingSpan } from './recording-span';

/**
 * The local root of a span of this SDK: the outermost span of this process above it (or the span
 * itself), found by following the spans' parent links up to a remote parent, a span that records
 * nothing, or no parent. An HTTP server's request span is the local root of every span of the
 * request. Undefined for a span this copy of the SDK did not make, or one that records nothing
 * (a sampled-out span keeps no link to its parent). Allocates nothing.
 */
export function localRootOf(span: Span | FinishedSpan | undefined): Span | undefined {
  if (!(span instanceof RecordingSpan)) return undefined;
  let root = span;
  // A chain is as deep as the nesting of spans; the bound only guards against a cycle.
  for (let depth = 0; depth < 10_000; depth++) {
    const parent = root.parent;
    if (!(parent instanceof RecordingSpan)) break;
    root = parent;
  }
  return root;
}

// The local roots a debug sampling hint started (rare: B3's `b3: d` without ids), so that the B3
// propagator sends the debug flag on with their trace. Nothing is looked up until one exists.
const debugRoots = new WeakSet<object>();
let anyDebugRoot = false;

export function markDebugRoot(span: RecordingSpan): void {
  anyDebugRoot = true;
  debugRoots.add(span);
}

/**
 * Whether the local root of `span` (see {@link localRootOf}) was started by a debug sampling hint
 * (`setSamplingHint` with `debug: true`), so that its trace carries a debug flag that arrived
 * without a trace id.
 */
export function startedByDebugHint(span: Span | undefined): boolean {
  if (!anyDebugRoot) return false;
  const root = localRootOf(span);
  return root !== undefined && debugRoots.has(root);
}
