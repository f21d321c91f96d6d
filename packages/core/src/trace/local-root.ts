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
