import { afterEach, describe, expect, it } from 'vitest';
import { makeSpan, manualClock, traceIdOf } from '../../test/store/make-span';
import type { StoredSpan } from '../model';
import { estimateResourceBytes, estimateScopeBytes, estimateSpanBytes } from './span-bytes';
import { TRACE_OVERHEAD_BYTES } from './trace-record';
import { TraceStore, type TraceStoreOptions } from './trace-store';

/** What the resource and the scope `makeSpan` gives every span cost, once for all of them. */
const SHARED_BYTES = sharedBytesOf(makeSpan(traceIdOf(0), 0));

function sharedBytesOf(span: StoredSpan): number {
  return estimateResourceBytes(span.resource) + estimateScopeBytes(span.scope);
}

const open: TraceStore[] = [];
async function openStore(options: TraceStoreOptions): Promise<TraceStore> {
  const store = await TraceStore.open(options);
  open.push(store);
  return store;
}
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

describe('TraceStore: aggregation', () => {
  it('assembles a trace from spans split over requests and out of order', async () => {
    const clock = manualClock();
    const store = await openStore({ now: clock.now });
    const id = traceIdOf(1);
    const root = makeSpan(id, 0, { startTime: 100, endTime: 400 });
    const child = makeSpan(id, 1, { startTime: 150, endTime: 300, status: { code: 2 } });
    const grandchild = makeSpan(id, 2, { startTime: 160, endTime: 450 });
    const other = makeSpan(traceIdOf(2), 0);

    await store.ingest([grandchild, other]);
    clock.advance(5);
    await store.ingest([child]);
    clock.advance(5);
    await store.ingest([root]);

    const trace = store.get(id)!;
    expect(trace.spans).toEqual([grandchild, child, root]);
    expect(trace).toMatchObject({
      traceId: id,
      complete: false,
      startTime: 100,
      endTime: 450,
      errorCount: 1,
      firstReceived: 1_000_000,
      lastReceived: 1_000_010,
    });
    expect(trace.bytes).toBe(
      TRACE_OVERHEAD_BYTES +
        estimateSpanBytes(root) +
        estimateSpanBytes(child) +
        estimateSpanBytes(grandchild),
    );
    expect(store.get(traceIdOf(2))!.spans).toEqual([other]);
    expect(store.get(traceIdOf(3))).toBeUndefined();
    expect(store.counters()).toMatchObject({
      spansIngested: 4,
      tracesStored: 2,
      bytesStored: trace.bytes + store.get(traceIdOf(2))!.bytes + SHARED_BYTES,
      sharedBytes: SHARED_BYTES,
    });
  });

  it('lists traces newest first by start time, whatever order they arrived in', async () => {
    const store = await openStore({});
    await store.ingest([
      makeSpan(traceIdOf(1), 0, { startTime: 200, endTime: 210 }),
      makeSpan(traceIdOf(2), 0, { startTime: 300, endTime: 310 }),
      makeSpan(traceIdOf(3), 0, { startTime: 100, endTime: 110 }),
    ]);
    await store.ingest([makeSpan(traceIdOf(3), 1, { startTime: 350, endTime: 360 })]);
    await store.ingest([makeSpan(traceIdOf(1), 1, { startTime: 50, endTime: 60 })]);
    expect(store.traces().map((trace) => trace.traceId)).toEqual([
      traceIdOf(2),
      traceIdOf(3),
      traceIdOf(1),
    ]);
  });
});

describe('TraceStore: idle completion', () => {
  it('completes a trace once no span has arrived for idleMs', async () => {
    const clock = manualClock();
    const store = await openStore({ idleMs: 1000, now: clock.now });
    const id = traceIdOf(1);
    await store.ingest([makeSpan(id, 1)]);
    clock.advance(999);
    expect(store.get(id)!.complete).toBe(false);
    await store.ingest([makeSpan(id, 0)]);
    clock.advance(999);
    expect(store.get(id)!.complete).toBe(false);
    expect(store.counters()).toMatchObject({ tracesComplete: 0 });
    clock.advance(1);
    expect(store.get(id)!.complete).toBe(true);
    expect(store.counters()).toMatchObject({ tracesComplete: 1, tracesStored: 1 });
  });

  it('defaults idleMs to 10 s', async () => {
    const clock = manualClock();
    const store = await openStore({ now: clock.now });
    await store.ingest([makeSpan(traceIdOf(1), 0)]);
    clock.advance(9_999);
    expect(store.get(traceIdOf(1))!.complete).toBe(false);
    clock.advance(1);
    expect(store.get(traceIdOf(1))!.complete).toBe(true);
  });

  it('completes traces idle at the time of an ingest, in the order they went idle', async () => {
    const clock = manualClock();
    const store = await openStore({ idleMs: 100, now: clock.now });
    await store.ingest([makeSpan(traceIdOf(1), 0), makeSpan(traceIdOf(2), 0)]);
    clock.advance(50);
    await store.ingest([makeSpan(traceIdOf(1), 1)]);
    clock.advance(60);
    await store.ingest([makeSpan(traceIdOf(3), 0)]);
    expect(store.counters().tracesComplete).toBe(1);
    expect(store.traces().map((trace) => [trace.traceId, trace.complete])).toEqual(
      expect.arrayContaining([
        [traceIdOf(1), false],
        [traceIdOf(2), true],
        [traceIdOf(3), false],
      ]),
    );
  });

  it('takes a late span into its completed trace, which is incomplete again until idle again', async () => {
    const clock = manualClock();
    const store = await openStore({ idleMs: 100, now: clock.now });
    const id = traceIdOf(1);
    await store.ingest([makeSpan(id, 0)]);
    clock.advance(100);
    expect(store.get(id)!.complete).toBe(true);

    await store.ingest([makeSpan(id, 1)]);
    expect(store.get(id)).toMatchObject({ complete: false, lastReceived: 1_000_100 });
    expect(store.get(id)!.spans).toHaveLength(2);
    expect(store.counters()).toMatchObject({ lateSpansJoined: 1, tracesComplete: 0 });
    clock.advance(100);
    expect(store.get(id)!.complete).toBe(true);
  });
});

describe('TraceStore: tail sampling', () => {
  const idleMs = 100;
  const TWO_TO_52 = 2 ** 52;

  it('keeps traces with an error span, traces slower than the threshold, and drops the rest at ratio 0', async () => {
    const clock = manualClock();
    const store = await openStore({
      idleMs,
      now: clock.now,
      tailSampling: { slowerThanMs: 500, ratio: 0 },
    });
    const failing = traceIdOf(1);
    const slow = traceIdOf(2);
    const fast = traceIdOf(3);
    await store.ingest([
      makeSpan(failing, 0, { startTime: 0, endTime: 10 }),
      makeSpan(failing, 1, { startTime: 1, endTime: 5, status: { code: 2, message: 'boom' } }),
      makeSpan(slow, 0, { startTime: 0, endTime: 501 }),
      makeSpan(fast, 0, { startTime: 0, endTime: 500 }),
      makeSpan(fast, 1, { startTime: 0, endTime: 10 }),
    ]);
    // Stored, and visible, until they complete.
    expect(store.counters().tracesStored).toBe(3);
    clock.advance(idleMs);
    expect(
      store
        .traces()
        .map((trace) => trace.traceId)
        .sort(),
    ).toEqual([failing, slow]);
    expect(store.get(fast)).toBeUndefined();
    expect(store.counters()).toMatchObject({
      tailSampledTraces: 1,
      tailSampledSpans: 2,
      tracesStored: 2,
      tracesComplete: 2,
    });
  });

  it('keeps error traces only when asked to', async () => {
    const clock = manualClock();
    const store = await openStore({
      idleMs,
      now: clock.now,
      tailSampling: { errors: false, ratio: 0 },
    });
    await store.ingest([makeSpan(traceIdOf(1), 0, { status: { code: 2 } })]);
    clock.advance(idleMs);
    expect(store.counters()).toMatchObject({ tracesStored: 0, tailSampledTraces: 1 });
  });

  it('keeps the ratio of the other traces by the random bits of their ids, deterministically', async () => {
    const clock = manualClock();
    const ratio = 0.25;
    const store = await openStore({
      idleMs,
      now: clock.now,
      maxTraces: 5000,
      tailSampling: { ratio },
    });
    // Ranks spread evenly over [0, 2^52): exactly a quarter fall under the threshold.
    const ranks = Array.from({ length: 4000 }, (_, i) =>
      Math.floor(((i + 0.5) / 4000) * TWO_TO_52),
    );
    await store.ingest(ranks.map((rank, i) => makeSpan(traceIdOf(i, rank), 0)));
    clock.advance(idleMs);
    const kept = new Set(store.traces().map((trace) => trace.traceId));
    expect(kept.size).toBe(1000);
    ranks.forEach((rank, i) => {
      expect(kept.has(traceIdOf(i, rank))).toBe(rank < ratio * TWO_TO_52);
    });
    expect(store.counters()).toMatchObject({ tailSampledTraces: 3000, tailSampledSpans: 3000 });
  });

  it('drops and counts the late spans of a dropped trace instead of starting it again', async () => {
    const clock = manualClock();
    const store = await openStore({ idleMs, now: clock.now, tailSampling: { ratio: 0 } });
    const id = traceIdOf(1);
    await store.ingest([makeSpan(id, 0)]);
    clock.advance(idleMs);
    expect(store.get(id)).toBeUndefined();

    await store.ingest([makeSpan(id, 1), makeSpan(traceIdOf(2), 0), makeSpan(id, 2)]);
    expect(store.get(id)).toBeUndefined();
    expect(store.get(traceIdOf(2))).toBeDefined();
    expect(store.counters()).toMatchObject({ lateSpansDropped: 2, spansIngested: 2 });
    // Even an error arriving late does not bring it back: the decision is taken once.
    await store.ingest([makeSpan(id, 3, { status: { code: 2 } })]);
    expect(store.get(id)).toBeUndefined();
    expect(store.counters().lateSpansDropped).toBe(3);
  });

  it('does not judge a kept trace again when a late span completes it again', async () => {
    const clock = manualClock();
    const store = await openStore({ idleMs, now: clock.now, tailSampling: { ratio: 0 } });
    const id = traceIdOf(1);
    await store.ingest([makeSpan(id, 0, { status: { code: 2 } })]);
    clock.advance(idleMs);
    await store.ingest([makeSpan(id, 1)]);
    clock.advance(idleMs);
    expect(store.get(id)).toMatchObject({ complete: true, errorCount: 1 });
    expect(store.get(id)!.spans).toHaveLength(2);
  });

  it('opens at once with a very large maxTraces, with or without tail sampling', async () => {
    const clock = manualClock();
    for (const tailSampling of [undefined, { ratio: 0 }]) {
      const store = await openStore({
        idleMs,
        now: clock.now,
        maxTraces: 200_000_000,
        tailSampling,
      });
      await store.ingest([makeSpan(traceIdOf(1), 0)]);
      clock.advance(idleMs);
      await store.ingest([makeSpan(traceIdOf(1), 1)]);
      expect(store.traces()).toHaveLength(tailSampling ? 0 : 1);
      expect(store.counters().lateSpansDropped).toBe(tailSampling ? 1 : 0);
    }
  });

  it('rejects a ratio outside 0 to 1', async () => {
    await expect(TraceStore.open({ tailSampling: { ratio: 1.5 } })).rejects.toThrow(RangeError);
    await expect(TraceStore.open({ maxTraces: 0 })).rejects.toThrow(RangeError);
  });
});

describe('TraceStore: bounds', () => {
  it('evicts the trace received first when over maxTraces, even if it received a span since', async () => {
    const store = await openStore({ maxTraces: 3 });
    await store.ingest([makeSpan(traceIdOf(1), 0), makeSpan(traceIdOf(2), 0)]);
    await store.ingest([makeSpan(traceIdOf(3), 0), makeSpan(traceIdOf(1), 1)]);
    await store.ingest([makeSpan(traceIdOf(4), 0)]);
    expect(store.get(traceIdOf(1))).toBeUndefined();
    expect(
      store
        .traces()
        .map((trace) => trace.traceId)
        .sort(),
    ).toEqual([traceIdOf(2), traceIdOf(3), traceIdOf(4)]);
    expect(store.counters()).toMatchObject({ tracesEvicted: 1, spansEvicted: 2, tracesStored: 3 });
  });

  it('evicts oldest first to stay within maxBytes, counting what it evicts', async () => {
    const spanBytes = estimateSpanBytes(makeSpan(traceIdOf(0), 0));
    const traceBytes = TRACE_OVERHEAD_BYTES + 2 * spanBytes;
    const store = await openStore({ maxBytes: traceBytes * 3 + SHARED_BYTES + 10 });
    for (let n = 0; n < 5; n++)
      await store.ingest([makeSpan(traceIdOf(n), 0), makeSpan(traceIdOf(n), 1)]);
    expect(
      store
        .traces()
        .map((trace) => trace.traceId)
        .sort(),
    ).toEqual([traceIdOf(2), traceIdOf(3), traceIdOf(4)]);
    expect(store.counters()).toMatchObject({
      tracesEvicted: 2,
      spansEvicted: 4,
      bytesStored: traceBytes * 3 + SHARED_BYTES,
    });
  });

  it('stays at its bound over a long ingest, its byte count matching what it holds', async () => {
    const clock = manualClock();
    const maxBytes = 256 * 1024;
    const store = await openStore({ maxBytes, maxTraces: 1000, idleMs: 50, now: clock.now });
    let highest = 0;
    for (let batch = 0; batch < 500; batch++) {
      const spans = [];
      for (let i = 0; i < 100; i++) {
        // Traces of 1 to 9 spans, interleaved across batches.
        const n = batch * 100 + i;
        spans.push(
          makeSpan(traceIdOf(Math.floor(n / 5) + (n % 3)), n % 9, { name: 'x'.repeat(n % 200) }),
        );
      }
      await store.ingest(spans);
      clock.advance(10);
      const { bytesStored, tracesStored } = store.counters();
      expect(bytesStored).toBeLessThanOrEqual(maxBytes);
      expect(tracesStored).toBeLessThanOrEqual(1000);
      highest = Math.max(highest, bytesStored);
    }
    const traces = store.traces();
    const counted = traces.reduce((sum, trace) => sum + trace.bytes, 0);
    const recounted = traces.reduce(
      (sum, trace) =>
        sum +
        TRACE_OVERHEAD_BYTES +
        trace.spans.reduce((s, span) => s + estimateSpanBytes(span), 0),
      0,
    );
    const counters = store.counters();
    expect(counters.bytesStored).toBe(counted + SHARED_BYTES);
    expect(counters.sharedBytes).toBe(SHARED_BYTES);
    expect(counted).toBe(recounted);
    expect(highest).toBeGreaterThan(maxBytes * 0.9);
    expect(counters.spansIngested).toBe(50_000);
    expect(counters.spansIngested - counters.spansEvicted).toBe(
      traces.reduce((sum, trace) => sum + trace.spans.length, 0),
    );
  });

  it('counts a resource or scope once, however many spans and traces share it', async () => {
    const resource = { 'service.name': 'checkout', 'process.command_args': 'x'.repeat(10_000) };
    const scope = { name: '@acme/instrumentation', version: '1.0.0' };
    const shared = estimateResourceBytes(resource) + estimateScopeBytes(scope);
    expect(shared).toBeGreaterThan(10_000);
    const store = await openStore({ maxTraces: 3 });
    const spans = [1, 2, 3].flatMap((n) =>
      [0, 1].map((i) => makeSpan(traceIdOf(n), i, { resource, scope })),
    );
    await store.ingest(spans);
    const own = store.traces().reduce((sum, trace) => sum + trace.bytes, 0);
    expect(store.counters()).toMatchObject({ bytesStored: own + shared, sharedBytes: shared });
    // Charged while any stored span holds it, whichever trace leaves first.
    await store.ingest([makeSpan(traceIdOf(4), 0)]);
    expect(store.get(traceIdOf(1))).toBeUndefined();
    expect(store.counters().sharedBytes).toBe(shared + SHARED_BYTES);
    await store.ingest([makeSpan(traceIdOf(5), 0), makeSpan(traceIdOf(6), 0)]);
    expect(store.counters()).toMatchObject({ tracesStored: 3, sharedBytes: SHARED_BYTES });
    // Held again: charged again.
    await store.ingest([makeSpan(traceIdOf(7), 0, { resource, scope })]);
    expect(store.counters().sharedBytes).toBe(SHARED_BYTES + shared);
  });

  it('bounds the bytes when every request brings its own resource', async () => {
    // Each one-span request decodes to a resource object of its own, with ~100 kB of attributes:
    // counted as a pointer, 300 of them would be held within a 1 MiB bound.
    const maxBytes = 1024 * 1024;
    const store = await openStore({ maxBytes });
    for (let n = 0; n < 300; n++) {
      const resource = {
        'service.name': 'svc',
        'process.command_line': `${'x'.repeat(100_000)}${n}`,
      };
      await store.ingest([makeSpan(traceIdOf(n), 0, { resource, scope: { name: `scope-${n}` } })]);
    }
    const { bytesStored, tracesStored, sharedBytes } = store.counters();
    expect(bytesStored).toBeLessThanOrEqual(maxBytes);
    expect(tracesStored).toBeLessThanOrEqual(10);
    expect(sharedBytes).toBe(
      store.traces().reduce((sum, trace) => sum + sharedBytesOf(trace.spans[0]!), 0),
    );
  });

  it('refuses ingest after close', async () => {
    const store = await TraceStore.open({});
    await store.close();
    await expect(store.ingest([makeSpan(traceIdOf(1), 0)])).rejects.toThrow(/closed/);
  });
});
