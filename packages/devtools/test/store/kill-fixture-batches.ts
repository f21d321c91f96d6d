import type { StoredSpan } from '../../src/model';
import type { TraceStoreOptions } from '../../src/store/trace-store';
import { makeSpan, traceIdOf } from './make-span';

export const SPANS_PER_BATCH = 20;

/** Small segments so that the log rotates while the child runs; bounds it never reaches. */
export const FIXTURE_STORE_OPTIONS: TraceStoreOptions = {
  segmentBytes: 64 * 1024,
  maxTraces: 1_000_000,
  maxBytes: 1024 ** 4,
};

/** Batch `n`: spans numbered from n × 20, seven a trace, so traces straddle batches. */
export function batchOfSpans(batch: number): StoredSpan[] {
  const spans: StoredSpan[] = [];
  for (let i = 0; i < SPANS_PER_BATCH; i++) {
    const n = batch * SPANS_PER_BATCH + i;
    spans.push(makeSpan(traceIdOf(Math.floor(n / 7)), n, { name: `span ${n}` }));
  }
  return spans;
}
