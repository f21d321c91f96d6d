/** Waiting on and reading the spans a loopback OTLP receiver got, for the end-to-end tests. */
import { expect } from 'vitest';
import type {
  OtlpReceiver,
  ReceivedSpan,
} from '../../../examples/next-app/scripts/otlp-receiver.mjs';

/** Next.js's span type of a span (`BaseServer.handleRequest`, …). */
export const spanType = (s: ReceivedSpan) => s.attributes['next.span_type'];

/** The spans whose parent is not in `spans`. */
export function rootsOf(spans: ReceivedSpan[]): ReceivedSpan[] {
  const ids = new Set(spans.map((s) => s.spanId));
  return spans.filter((s) => s.parentSpanId === undefined || !ids.has(s.parentSpanId));
}

/** Runs `check` until it passes, or throws its last failure after `timeout` ms. */
export async function eventually(check: () => void, timeout = 15_000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Waits until the trace `traceId` holds spans of these names (or Next.js span types) and is one
 * tree, and returns its spans.
 */
export async function settled(
  receiver: OtlpReceiver,
  traceId: string,
  names: string[],
): Promise<ReceivedSpan[]> {
  const traceOf = () => receiver.spans.filter((s) => s.traceId === traceId);
  await eventually(() => {
    const present = new Set(traceOf().flatMap((s) => [s.name, String(spanType(s))]));
    expect(names.filter((n) => !present.has(n))).toEqual([]);
    expect(rootsOf(traceOf())).toHaveLength(1);
  });
  return traceOf();
}
