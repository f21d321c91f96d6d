/** Orders a trace's spans for the waterfall: depth-first from the roots, children by start time. */

import type { SpanView } from './api-types';

export interface WaterfallRow {
  span: SpanView;
  depth: number;
  /** Milliseconds from the trace's start to the span's start. */
  offset: number;
  /** The span names a parent that has not arrived (or never will). */
  orphan: boolean;
}

const byStart = (a: SpanView, b: SpanView): number =>
  a.startTime - b.startTime || a.spanId.localeCompare(b.spanId);

export function waterfallRows(spans: readonly SpanView[], traceStart: number): WaterfallRow[] {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string, SpanView[]>();
  const roots: SpanView[] = [];
  for (const span of spans) {
    const parent = span.parentSpanId;
    if (parent && parent !== span.spanId && ids.has(parent)) {
      const siblings = children.get(parent);
      if (siblings) siblings.push(span);
      else children.set(parent, [span]);
    } else roots.push(span);
  }

  const rows: WaterfallRow[] = [];
  const placed = new Set<string>();
  // Depth first with an explicit stack, not recursion: a trace can be thousands of spans deep.
  const stack: { span: SpanView; depth: number }[] = [];
  const visit = (top: SpanView): void => {
    stack.push({ span: top, depth: 0 });
    while (stack.length > 0) {
      const { span, depth } = stack.pop()!;
      // A span id seen twice, or a parent cycle, is drawn once.
      if (placed.has(span.spanId)) continue;
      placed.add(span.spanId);
      const orphan = depth === 0 && span.parentSpanId !== null && span.parentSpanId !== '';
      rows.push({ span, depth, offset: span.startTime - traceStart, orphan });
      const below = children.get(span.spanId);
      if (below === undefined) continue;
      below.sort(byStart);
      // Pushed last to first, so that the earliest child is drawn first.
      for (let i = below.length - 1; i >= 0; i--) stack.push({ span: below[i], depth: depth + 1 });
    }
  };
  for (const root of roots.sort(byStart)) visit(root);
  // Spans caught in a parent cycle have no root to hang from: show them at the top level.
  for (const span of [...spans].sort(byStart)) visit(span);
  return rows;
}
