import {
  appendFile,
  type FileHandle,
  mkdtemp,
  open,
  readdir,
  readFile,
  rm,
  stat,
  truncate,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeSpan, manualClock, traceIdOf } from '../../test/store/make-span';
import { OLD_FORMAT_TRACE_ID, oldFormatFrame } from '../../test/store/old-format-log';
import type { StoredSpan } from '../model';
import { TraceStore, type TraceStoreOptions } from './trace-store';

const dirs: string[] = [];
const stores: TraceStore[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'spanlite-store-'));
  dirs.push(dir);
  return dir;
}
async function openStore(options: TraceStoreOptions): Promise<TraceStore> {
  const store = await TraceStore.open(options);
  stores.push(store);
  return store;
}
afterEach(async () => {
  vi.restoreAllMocks();
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Every stored trace with its spans, in a stable order, to compare two stores. */
function snapshot(store: TraceStore): Record<string, { spans: StoredSpan[]; complete: boolean }> {
  const out: Record<string, { spans: StoredSpan[]; complete: boolean }> = {};
  for (const trace of store.traces())
    out[trace.traceId] = { spans: [...trace.spans], complete: trace.complete };
  return out;
}

function batch(from: number, count: number, spansPerTrace = 3): StoredSpan[] {
  const spans: StoredSpan[] = [];
  for (let n = from; n < from + count; n++) {
    spans.push(
      makeSpan(traceIdOf(Math.floor(n / spansPerTrace)), n % spansPerTrace, { name: `op ${n}` }),
    );
  }
  return spans;
}

/** Everything a store's counters and traces say, to compare it before and after a rollback. */
function state(store: TraceStore) {
  const { logBytes, logSegments, ...counters } = store.counters();
  const traces = store.traces().map((trace) => ({ ...trace, spans: [...trace.spans] }));
  return { counters, traces };
}

/** Makes the log's next `times` writes fail as on a full disk. */
async function failWrites(dir: string, times: number): Promise<void> {
  const handle: FileHandle = await open(join(dir, 'probe'), 'w');
  const prototype = Object.getPrototypeOf(handle) as FileHandle;
  await handle.close();
  const full = Object.assign(new Error('ENOSPC: no space left on device, write'), {
    code: 'ENOSPC',
  });
  const writev = vi.spyOn(prototype, 'writev');
  for (let i = 0; i < times; i++) writev.mockRejectedValueOnce(full);
}

async function segmentFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.log')).sort();
}

describe('TraceStore with dataDir', () => {
  it('recovers every trace, span and completion state on reopen', async () => {
    const dataDir = await tempDir();
    const clock = manualClock();
    const options = { dataDir, idleMs: 100, now: clock.now };
    const first = await openStore(options);
    await Promise.all([first.ingest(batch(0, 10)), first.ingest(batch(10, 10))]);
    clock.advance(100);
    await first.ingest(batch(20, 7));
    const before = snapshot(first);
    expect(Object.keys(before)).toHaveLength(9);
    await first.close();

    const second = await openStore(options);
    expect(snapshot(second)).toEqual(before);
    expect(second.counters()).toMatchObject({
      spansReplayed: 27,
      spansIngested: 27,
      tracesComplete: 6,
    });
    // And it keeps appending where it left off.
    await second.ingest(batch(27, 3));
    await second.close();
    const third = await openStore(options);
    expect(third.counters().spansReplayed).toBe(30);
  });

  it('loads a data dir written before span flags and dropped counts were kept, and appends after it', async () => {
    const dataDir = await tempDir();
    await writeFile(join(dataDir, '000000000001.log'), oldFormatFrame());
    const upgraded = await openStore({ dataDir });
    expect(upgraded.counters()).toMatchObject({ spansReplayed: 2, logCorruptBytes: 0 });
    const legacy = [...upgraded.get(OLD_FORMAT_TRACE_ID)!.spans];
    expect(legacy.map((span) => [span.name, span.flags])).toEqual([
      ['GET /legacy', undefined],
      ['SELECT legacy', undefined],
    ]);
    // New spans, with flags and counts, go into the same segment after the old frame.
    const flagged = makeSpan(OLD_FORMAT_TRACE_ID, 7, {
      parentSpanId: '1111111111111111',
      flags: 0x101,
      droppedAttributesCount: 12,
    });
    await upgraded.ingest([flagged]);
    await upgraded.close();
    expect(await segmentFiles(dataDir)).toEqual(['000000000001.log']);

    const reopened = await openStore({ dataDir });
    expect(reopened.counters()).toMatchObject({ spansReplayed: 3, logCorruptBytes: 0 });
    expect(reopened.get(OLD_FORMAT_TRACE_ID)!.spans).toEqual([...legacy, flagged]);
  });

  it('drops a torn last frame on open, keeps the frames before it, and appends after them', async () => {
    const dataDir = await tempDir();
    const store = await openStore({ dataDir });
    await store.ingest(batch(0, 6));
    const [segment] = await segmentFiles(dataDir);
    const goodSize = (await stat(join(dataDir, segment))).size;
    await store.ingest(batch(6, 6));
    await store.close();
    // A crash in the middle of the second write.
    await truncate(join(dataDir, segment), goodSize + 20);

    const reopened = await openStore({ dataDir });
    expect(reopened.counters()).toMatchObject({ spansReplayed: 6, logCorruptBytes: 20 });
    expect((await stat(join(dataDir, segment))).size).toBe(goodSize);
    await reopened.ingest(batch(100, 3));
    await reopened.close();
    const third = await openStore({ dataDir });
    expect(third.counters()).toMatchObject({ spansReplayed: 9, logCorruptBytes: 0 });
  });

  it('drops garbage after the last frame', async () => {
    const dataDir = await tempDir();
    const store = await openStore({ dataDir });
    await store.ingest(batch(0, 6));
    const before = snapshot(store);
    await store.close();
    const [segment] = await segmentFiles(dataDir);
    await appendFile(
      join(dataDir, segment),
      Buffer.from([0xff, 0x00, 0x00, 0x00, 1, 2, 3, 4, 5, 6, 7]),
    );
    const reopened = await openStore({ dataDir });
    expect(snapshot(reopened)).toEqual(before);
    expect(reopened.counters().logCorruptBytes).toBe(11);
  });

  it('keeps its log near the store by rotating segments and deleting those it no longer needs', async () => {
    const dataDir = await tempDir();
    const options = { dataDir, maxTraces: 50, segmentBytes: 16 * 1024 };
    const store = await openStore(options);
    let largest = 0;
    for (let i = 0; i < 300; i++) {
      await store.ingest(batch(i * 12, 12));
      largest = Math.max(largest, store.counters().logBytes);
    }
    const { logBytes, logSegments, tracesStored, tracesEvicted } = store.counters();
    expect(tracesStored).toBe(50);
    expect(tracesEvicted).toBe(1150);
    // 50 traces of 3 spans are ~30 KiB of log: two or three segments, never the 3,600 spans.
    expect(logSegments).toBeLessThanOrEqual(4);
    expect(largest).toBeLessThan(5 * 16 * 1024 + 4096);
    const before = snapshot(store);
    // The last write's deletion of a segment may still be running when its ingest resolves (the
    // counters already leave the segment out): `close` waits for it, so the disk is read after.
    await store.close();
    const files = await segmentFiles(dataDir);
    expect(files).toHaveLength(logSegments);
    let onDisk = 0;
    for (const file of files) onDisk += (await stat(join(dataDir, file))).size;
    expect(onDisk).toBe(logBytes);

    const reopened = await openStore(options);
    expect(snapshot(reopened)).toEqual(before);
  });

  it('bounds the log by maxLogBytes when tail sampling leaves the store holding little of it', async () => {
    const dataDir = await tempDir();
    const clock = manualClock();
    const maxLogBytes = 64 * 1024;
    const store = await openStore({
      dataDir,
      idleMs: 10,
      now: clock.now,
      maxLogBytes,
      segmentBytes: 8 * 1024,
      tailSampling: { ratio: 0 },
    });
    for (let i = 0; i < 400; i++) {
      const spans = batch(i * 6, 6);
      // One trace in ten fails and is kept; the others are dropped when they complete.
      if (i % 10 === 0) spans[0] = { ...spans[0], status: { code: 2 } };
      await store.ingest(spans);
      clock.advance(10);
      expect(store.counters().logBytes).toBeLessThanOrEqual(maxLogBytes + 8 * 1024);
    }
    const counters = store.counters();
    expect(counters.tailSampledTraces).toBeGreaterThan(700);
    expect(counters.tracesEvicted).toBeGreaterThan(0);
    expect(counters.tracesStored).toBeGreaterThan(0);
  });

  it('replays tail sampling to the same decisions, without the late spans it dropped', async () => {
    const dataDir = await tempDir();
    const clock = manualClock();
    const options = {
      dataDir,
      idleMs: 100,
      now: clock.now,
      tailSampling: { ratio: 0.5, slowerThanMs: 1000 },
    };
    const first = await openStore(options);
    const ranks = [0, 2 ** 51 + 1, 2 ** 50, 2 ** 52 - 1, 7];
    await first.ingest(ranks.map((rank, i) => makeSpan(traceIdOf(i, rank), 0)));
    await first.ingest([makeSpan(traceIdOf(3, 2 ** 52 - 1), 1, { startTime: 0, endTime: 2000 })]);
    clock.advance(100);
    await first.ingest(ranks.map((rank, i) => makeSpan(traceIdOf(i, rank), 2)));
    const before = snapshot(first);
    expect(Object.keys(before).sort()).toEqual(
      [traceIdOf(0, 0), traceIdOf(2, 2 ** 50), traceIdOf(3, 2 ** 52 - 1), traceIdOf(4, 7)].sort(),
    );
    expect(first.counters()).toMatchObject({ tailSampledTraces: 1, lateSpansDropped: 1 });
    await first.close();

    const second = await openStore(options);
    expect(snapshot(second)).toEqual(before);
    expect(second.counters()).toMatchObject({
      tailSampledTraces: 1,
      lateSpansDropped: 0,
      spansReplayed: 10,
    });
  });

  it('does not bring back, on replay, a trace evicted after a late span whose first spans are deleted', async () => {
    const dataDir = await tempDir();
    // A segment a record: the first segment can be deleted once trace 1 is gone.
    const options = { dataDir, maxTraces: 2, segmentBytes: 1 };
    const first = await openStore(options);
    await first.ingest([makeSpan(traceIdOf(1), 0)]);
    await first.ingest([makeSpan(traceIdOf(2), 0)]);
    await first.ingest([makeSpan(traceIdOf(1), 1)]);
    await first.ingest([makeSpan(traceIdOf(3), 0)]);
    const before = snapshot(first);
    expect(Object.keys(before).sort()).toEqual([traceIdOf(2), traceIdOf(3)]);
    await first.close();
    expect(await segmentFiles(dataDir)).not.toContain('000000000001.log');

    const second = await openStore(options);
    expect(snapshot(second)).toEqual(before);
    expect(second.counters().replaySpansSkipped).toBe(1);
  });

  it('waits for fdatasync with fsync on, and writes concurrent ingests in one go', async () => {
    const dataDir = await tempDir();
    const store = await openStore({ dataDir, fsync: true });
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.ingest(batch(i * 3, 3))));
    const [segment] = await segmentFiles(dataDir);
    expect((await readFile(join(dataDir, segment))).length).toBe(store.counters().logBytes);
    await store.close();
    const reopened = await openStore({ dataDir });
    expect(reopened.counters().spansReplayed).toBe(60);
  });

  it('takes a batch it cannot write back out of the store, and the ones queued behind it', async () => {
    const dataDir = await tempDir();
    const clock = manualClock();
    const options = { dataDir, idleMs: 100, now: clock.now };
    const store = await openStore(options);
    await store.ingest(batch(0, 6));
    clock.advance(100);
    const acknowledged = state(store);
    expect(acknowledged.counters.tracesComplete).toBe(2);

    await failWrites(dataDir, 1);
    // One new trace, a late span of a complete one, and a span with its own resource, then a
    // second batch appended while the first is being written.
    const resource = { 'service.name': 'other', big: 'x'.repeat(5000) };
    const failed = store.ingest([
      makeSpan(traceIdOf(7), 0),
      makeSpan(traceIdOf(0), 5, { startTime: 1, endTime: 1e13, status: { code: 2 } }),
      makeSpan(traceIdOf(8), 0, { resource }),
    ]);
    const queued = store.ingest([makeSpan(traceIdOf(7), 1), makeSpan(traceIdOf(9), 0)]);
    expect(store.get(traceIdOf(7))!.spans).toHaveLength(2);
    await expect(failed).rejects.toThrow(/ENOSPC/);
    await expect(queued).rejects.toThrow(/ENOSPC/);

    // Back as it was, except that the trace the late span touched is active again (as after any
    // late span) until it is idle once more.
    const after = state(store);
    expect(after.traces).toEqual(
      acknowledged.traces.map((trace) =>
        trace.traceId === traceIdOf(0)
          ? { ...trace, complete: false, lastReceived: expect.any(Number) }
          : trace,
      ),
    );
    expect(after.counters).toEqual({
      ...acknowledged.counters,
      tracesComplete: 1,
      lateSpansJoined: 1,
    });
    clock.advance(100);
    expect(store.get(traceIdOf(0))!.complete).toBe(true);
    expect(store.counters().tracesComplete).toBe(2);

    // The log goes on, and a restart brings back what was acknowledged and nothing else.
    await store.ingest(batch(100, 3));
    const before = snapshot(store);
    await store.close();
    const reopened = await openStore(options);
    expect(snapshot(reopened)).toEqual(before);
    expect(reopened.counters().spansReplayed).toBe(9);
  });

  it('ignores files in dataDir that are not segments', async () => {
    const dataDir = await tempDir();
    await writeFile(join(dataDir, 'notes.txt'), 'hello');
    const store = await openStore({ dataDir });
    await store.ingest(batch(0, 3));
    expect(store.get(traceIdOf(0))!.spans).toHaveLength(3);
  });
});
