import fc from 'fast-check';
import { expect, it } from 'vitest';
import { makeSpan, manualClock, traceIdOf } from '../../test/store/make-span';
import type { Attributes, StoredSpan } from '../model';
import { estimateResourceBytes, estimateScopeBytes, estimateSpanBytes } from './span-bytes';
import { TRACE_OVERHEAD_BYTES } from './trace-record';
import { TraceStore } from './trace-store';

const step = fc.record({
  advance: fc.integer({ min: 0, max: 150 }),
  spans: fc.array(
    fc.record({
      trace: fc.integer({ min: 0, max: 12 }),
      start: fc.integer({ min: 0, max: 1000 }),
      length: fc.integer({ min: 0, max: 700 }),
      error: fc.boolean(),
      // One of three shared resources, or (3) one of its own, as each request's decoding gives.
      resource: fc.integer({ min: 0, max: 3 }),
    }),
    { maxLength: 8 },
  ),
});

const RESOURCES: Attributes[] = [0, 1, 2].map((n) => ({
  'service.name': `svc-${n}`,
  padding: 'p'.repeat(n * 300),
}));
const SCOPES: StoredSpan['scope'][] = [{ name: 'a' }, { name: 'b', version: '1.0' }];

/** Each distinct resource and scope object the spans hold, once. */
function sharedBytesOf(spans: readonly StoredSpan[]): number {
  const resources = new Set(spans.map((span) => span.resource));
  const scopes = new Set(spans.map((span) => span.scope));
  let bytes = 0;
  for (const resource of resources) bytes += estimateResourceBytes(resource);
  for (const scope of scopes) bytes += estimateScopeBytes(scope);
  return bytes;
}

it('keeps every trace record consistent with its spans, within its bounds, whatever arrives', async () => {
  let spanNumber = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(step, { maxLength: 30 }),
      fc.integer({ min: 1, max: 6 }),
      fc.boolean(),
      async (steps, maxTraces, sampling) => {
        const clock = manualClock();
        const idleMs = 100;
        const maxBytes = 6000;
        const store = await TraceStore.open({
          maxTraces,
          maxBytes,
          idleMs,
          now: clock.now,
          tailSampling: sampling ? { ratio: 0.5, slowerThanMs: 600 } : undefined,
        });
        try {
          for (const { advance, spans } of steps) {
            clock.advance(advance);
            await store.ingest(
              spans.map(({ trace, start, length, error, resource }) =>
                makeSpan(traceIdOf(trace, trace * 0x9e3779b97f4), spanNumber++, {
                  startTime: start,
                  endTime: start + length,
                  status: { code: error ? 2 : 0 },
                  resource: RESOURCES[resource] ?? { 'service.name': 'own', n: spanNumber },
                  scope: SCOPES[resource % 2]!,
                }),
              ),
            );
            const traces = store.traces();
            const counters = store.counters();
            expect(traces.length).toBeLessThanOrEqual(maxTraces);
            expect(counters.tracesStored).toBe(traces.length);
            expect(counters.bytesStored).toBeLessThanOrEqual(maxBytes);
            const held = traces.flatMap((trace) => trace.spans);
            expect(counters.sharedBytes).toBe(sharedBytesOf(held));
            expect(counters.bytesStored).toBe(
              traces.reduce((sum, trace) => sum + trace.bytes, 0) + counters.sharedBytes,
            );
            expect(counters.tracesComplete).toBe(traces.filter((trace) => trace.complete).length);
            for (let i = 0; i < traces.length; i++) {
              const trace = traces[i];
              if (i > 0) expect(traces[i - 1].startTime).toBeGreaterThanOrEqual(trace.startTime);
              expect(trace.spans.length).toBeGreaterThan(0);
              expect(trace.spans.every((span) => span.traceId === trace.traceId)).toBe(true);
              expect(trace.startTime).toBe(Math.min(...trace.spans.map((span) => span.startTime)));
              expect(trace.endTime).toBe(Math.max(...trace.spans.map((span) => span.endTime)));
              expect(trace.errorCount).toBe(
                trace.spans.filter((span) => span.status.code === 2).length,
              );
              expect(trace.bytes).toBe(
                TRACE_OVERHEAD_BYTES +
                  trace.spans.reduce((sum, span) => sum + estimateSpanBytes(span), 0),
              );
              expect(trace.complete).toBe(clock.now() - trace.lastReceived >= idleMs);
            }
            const { spansIngested, spansEvicted, tailSampledSpans } = counters;
            expect(spansIngested - spansEvicted - tailSampledSpans).toBe(held.length);
          }
        } finally {
          await store.close();
        }
      },
    ),
    { numRuns: 150 },
  );
});
