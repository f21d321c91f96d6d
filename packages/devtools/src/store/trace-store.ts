import type { Attributes, StoredSpan } from '../model';
import { AppendLog } from './append-log';
import { DroppedTraceIds } from './dropped-trace-ids';
import { encodeRecord, type LogRecord } from './log-record';
import { SharedObjects } from './shared-objects';
import { estimateResourceBytes, estimateScopeBytes, estimateSpanBytes } from './span-bytes';
import {
  keepTrace,
  resolveTailSampling,
  type TailSampler,
  type TailSamplingOptions,
} from './tail-sampling';
import { ArrivalList, IdleList, StoreRecord, type TraceRecord } from './trace-record';

export interface TraceStoreOptions {
  /** Most traces kept. Default 10,000. */
  maxTraces?: number;
  /**
   * Most bytes kept, by `estimateSpanBytes` plus a fixed cost a trace, plus each distinct resource
   * and scope object the spans hold, once. Default 128 MiB.
   */
  maxBytes?: number;
  /** A trace is complete once no span has arrived for this long, in ms. Default 10,000. */
  idleMs?: number;
  /** Off unless given: see `TailSamplingOptions`. */
  tailSampling?: TailSamplingOptions;
  /** Persist to an append-only log in this directory, and recover from it on open. */
  dataDir?: string;
  /** With `dataDir`: an ingest resolves only after fdatasync(2) (survives power loss). Default false. */
  fsync?: boolean;
  /** With `dataDir`: the log's bound, in bytes. Default 2 × `maxBytes`. */
  maxLogBytes?: number;
  /** With `dataDir`: the size at which a segment is closed. Default `maxLogBytes` / 16, 1–64 MiB. */
  segmentBytes?: number;
  /** Epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Failures no ingest is waiting for (log rotation, segment deletion, the sweep timer). */
  onError?: (error: unknown) => void;
}

export interface StoreCounters {
  /** Spans taken into the store since open, the replayed ones included. */
  spansIngested: number;
  /** Of those, replayed from the log on open. */
  spansReplayed: number;
  tracesStored: number;
  /** Stored traces that are complete (the others are active). */
  tracesComplete: number;
  /** The estimate the byte bound applies to: the traces' `bytes`, plus `sharedBytes`. */
  bytesStored: number;
  /** Of those, the resources and scopes the stored spans hold, each distinct object once. */
  sharedBytes: number;
  /** Removed, oldest first, to stay within maxTraces, maxBytes or maxLogBytes. */
  tracesEvicted: number;
  spansEvicted: number;
  /** Dropped by tail sampling when they completed. */
  tailSampledTraces: number;
  tailSampledSpans: number;
  /** Spans of a trace tail sampling had dropped: dropped too, and not written to the log. */
  lateSpansDropped: number;
  /** Spans that arrived for a trace already complete (which became incomplete again). */
  lateSpansJoined: number;
  /** Bytes of the log on disk and waiting to be written, and its segment files. */
  logBytes: number;
  logSegments: number;
  /** Torn or corrupt bytes found at the end of the log on open (and truncated). */
  logCorruptBytes: number;
  /** Replayed spans of a trace the store no longer held when they were first received. */
  replaySpansSkipped: number;
  /** Failures reported to `onError`. */
  errors: number;
}

const DEFAULT_MAX_TRACES = 10_000;
const DEFAULT_MAX_BYTES = 128 * 1024 * 1024;
/** Twice the 5 s export delay of OpenTelemetry's batch span processor. */
const DEFAULT_IDLE_MS = 10_000;
const MIN_SEGMENT_BYTES = 1024 * 1024;
const MAX_SEGMENT_BYTES = 64 * 1024 * 1024;
const RESOLVED: Promise<void> = Promise.resolve();

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  }
  return value;
}

/**
 * The collector's bounded trace store. Spans arrive in batches, in any order, split over any
 * number of requests; the store groups them by trace, marks a trace complete once it has been
 * idle for `idleMs`, optionally tail-samples it then, and evicts the traces received first when
 * it is over `maxTraces` or `maxBytes`. With `dataDir`, every batch is appended to a log before
 * its `ingest` resolves, and the log is replayed on open.
 *
 * Ingest is O(1) amortized per span (plus the span's byte estimate): a map lookup, two intrusive
 * list moves, no per-span allocation, timer or closure. A resource or scope object is estimated
 * once and counted once, however many spans hold it (see `SharedObjects`). Idle completion sweeps the front of a list
 * ordered by latest arrival, on each ingest and read and from one unref'd timer.
 */
export class TraceStore {
  private readonly maxTraces: number;
  private readonly maxBytes: number;
  private readonly maxLogBytes: number;
  private readonly idleMs: number;
  private readonly sampler: TailSampler | undefined;
  private readonly clock: () => number;
  private readonly reportError: (error: unknown) => void;
  private readonly byId = new Map<string, StoreRecord>();
  private readonly arrival = new ArrivalList();
  private readonly idle = new IdleList();
  /** With tail sampling only. */
  private readonly dropped: DroppedTraceIds | undefined;
  private readonly resources = new SharedObjects<Attributes>(estimateResourceBytes);
  private readonly scopes = new SharedObjects<StoredSpan['scope']>(estimateScopeBytes);
  private log: AppendLog | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private latest = Number.NEGATIVE_INFINITY;
  private closed = false;
  private readonly counts = {
    spansIngested: 0,
    spansReplayed: 0,
    tracesComplete: 0,
    bytesStored: 0,
    tracesEvicted: 0,
    spansEvicted: 0,
    tailSampledTraces: 0,
    tailSampledSpans: 0,
    lateSpansDropped: 0,
    lateSpansJoined: 0,
    logCorruptBytes: 0,
    replaySpansSkipped: 0,
    errors: 0,
  };

  private constructor(options: TraceStoreOptions) {
    this.maxTraces = Math.floor(positive('maxTraces', options.maxTraces, DEFAULT_MAX_TRACES));
    this.maxBytes = positive('maxBytes', options.maxBytes, DEFAULT_MAX_BYTES);
    this.maxLogBytes = positive('maxLogBytes', options.maxLogBytes, 2 * this.maxBytes);
    this.idleMs = positive('idleMs', options.idleMs, DEFAULT_IDLE_MS);
    this.sampler = resolveTailSampling(options.tailSampling);
    this.clock = options.now ?? Date.now;
    // Grows with the traces dropped, up to the store's bound.
    this.dropped = this.sampler && new DroppedTraceIds(Math.max(1024, this.maxTraces));
    const onError = options.onError;
    this.reportError = (error) => {
      this.counts.errors++;
      try {
        onError?.(error);
      } catch {
        // The handler's own failure has nowhere else to go.
      }
    };
  }

  static async open(options: TraceStoreOptions = {}): Promise<TraceStore> {
    const store = new TraceStore(options);
    if (options.dataDir !== undefined) {
      const segmentBytes = positive(
        'segmentBytes',
        options.segmentBytes,
        Math.min(
          MAX_SEGMENT_BYTES,
          Math.max(MIN_SEGMENT_BYTES, Math.floor(store.maxLogBytes / 16)),
        ),
      );
      const { log, report } = await AppendLog.open(
        {
          dir: options.dataDir,
          fsync: options.fsync ?? false,
          segmentBytes,
          retainFrom: () => store.arrival.oldest?.firstSegment ?? Number.POSITIVE_INFINITY,
          onError: store.reportError,
        },
        (record, segment) => store.replay(record, segment),
      );
      store.log = log;
      store.counts.logCorruptBytes = report.corruptBytes;
    }
    store.sweep(store.time());
    const interval = Math.min(1000, Math.max(10, store.idleMs / 4));
    store.timer = setInterval(() => {
      try {
        store.sweep(store.time());
      } catch (error) {
        store.reportError(error);
      }
    }, interval);
    store.timer.unref();
    return store;
  }

  /**
   * Takes in a batch of validated spans. Without `dataDir` it resolves at once; with it, once
   * the batch is written to the log (acknowledge the request only then). The spans are visible
   * to `get` and `traces` as soon as this returns. When the batch cannot be written (a full disk),
   * it rejects, and its spans are taken out of the store again first (with those of the batches
   * queued behind it, which fail too): nothing of a batch that was not acknowledged stays.
   */
  ingest(spans: readonly StoredSpan[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the trace store is closed'));
    const at = this.time();
    const log = this.log;
    if (log === undefined) {
      this.apply(spans, at, 0, undefined);
      return RESOLVED;
    }
    const newTraces: number[] = [];
    const accepted = this.apply(spans, at, log.activeSegment, newTraces);
    if (accepted.length === 0) return RESOLVED;
    const undo = (): void => this.rollback(accepted);
    let frame: Buffer;
    try {
      frame = encodeRecord(accepted, at, newTraces);
      this.boundLog(log, frame.length);
    } catch (error) {
      undo();
      return Promise.reject(error);
    }
    return log.append(frame, undo);
  }

  get(traceId: string): TraceRecord | undefined {
    this.sweep(this.time());
    return this.byId.get(traceId);
  }

  /** The stored traces, newest first by start time (sorted on each call). */
  traces(): TraceRecord[] {
    this.sweep(this.time());
    const all: StoreRecord[] = new Array(this.byId.size);
    let i = 0;
    for (let record = this.arrival.oldest; record !== undefined; record = record.newerByArrival) {
      all[i++] = record;
    }
    return all.sort((a, b) => b.startTime - a.startTime);
  }

  counters(): StoreCounters {
    this.sweep(this.time());
    const segments = this.log?.segments();
    return {
      ...this.counts,
      tracesStored: this.byId.size,
      sharedBytes: this.resources.bytes + this.scopes.bytes,
      logBytes: this.log?.bytes ?? 0,
      logSegments: segments?.length ?? 0,
    };
  }

  /** Stops the sweep timer; with `dataDir`, waits for the writes in flight and closes the log. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.log?.close();
  }

  /** The clock, never going back: the idle list stays ordered by arrival. */
  private time(): number {
    const now = this.clock();
    if (now > this.latest) this.latest = now;
    return this.latest;
  }

  private replay(record: LogRecord, segment: number): void {
    if (record.at > this.latest) this.latest = record.at;
    const before = this.counts.spansIngested;
    this.apply(record.spans, this.latest, segment, undefined, record.newTraces);
    this.counts.spansReplayed += this.counts.spansIngested - before;
  }

  /**
   * Completes what has been idle by `at`, adds the spans, evicts down to the bounds. Returns the
   * spans taken (those of dropped traces left out), and lists in `newTraces` the indexes among
   * them of the spans that started a trace. On replay, `replayNew` is the record's list: a span
   * of a trace the store does not hold starts one only when it did so when first received.
   */
  private apply(
    spans: readonly StoredSpan[],
    at: number,
    segment: number,
    newTraces: number[] | undefined,
    replayNew?: readonly number[],
  ): readonly StoredSpan[] {
    this.sweep(at);
    const counts = this.counts;
    let accepted: StoredSpan[] | undefined;
    let nextNew = 0;
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i];
      const traceId = span.traceId;
      let record = this.byId.get(traceId);
      if (record === undefined) {
        if (replayNew !== undefined) {
          while (nextNew < replayNew.length && replayNew[nextNew] < i) nextNew++;
          if (replayNew[nextNew] !== i) {
            counts.replaySpansSkipped++;
            continue;
          }
        } else if (this.dropped?.has(traceId)) {
          counts.lateSpansDropped++;
          accepted ??= spans.slice(0, i);
          continue;
        }
        record = new StoreRecord(traceId, at, segment);
        this.byId.set(traceId, record);
        this.arrival.append(record);
        counts.bytesStored += record.bytes;
        newTraces?.push(accepted === undefined ? i : accepted.length);
      } else if (record.complete) {
        record.complete = false;
        counts.tracesComplete--;
        counts.lateSpansJoined++;
      }
      accepted?.push(span);
      const bytes = estimateSpanBytes(span);
      record.spans.push(span);
      record.bytes += bytes;
      counts.bytesStored +=
        bytes + this.resources.hold(span.resource) + this.scopes.hold(span.scope);
      if (span.startTime < record.startTime) record.startTime = span.startTime;
      if (span.endTime > record.endTime) record.endTime = span.endTime;
      if (span.status.code === 2) record.errorCount++;
      record.lastReceived = at;
      this.idle.touch(record);
      counts.spansIngested++;
    }
    this.evictOverBounds();
    return accepted ?? spans;
  }

  /**
   * Takes the spans of a batch that could not be written back out of the store. Each span object
   * leaves the trace that holds it (if it is still stored: it may have been evicted since); a trace
   * left without spans is removed, the others get their times, error count and bytes recounted.
   * Only batches applied after this one are undone with it (see `AppendLog`), so a trace this
   * batch started holds nothing else by now and goes away whole.
   */
  private rollback(spans: readonly StoredSpan[]): void {
    const counts = this.counts;
    // How many times each span object is to go (a batch could hold one object twice).
    const leaving = new Map<StoredSpan, number>();
    const records = new Set<StoreRecord>();
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i];
      leaving.set(span, (leaving.get(span) ?? 0) + 1);
      const record = this.byId.get(span.traceId);
      if (record !== undefined) records.add(record);
    }
    for (const record of records) {
      const kept: StoredSpan[] = [];
      const gone: StoredSpan[] = [];
      const held = record.spans;
      // From the newest: a batch's spans are the latest of the trace.
      for (let i = held.length - 1; i >= 0; i--) {
        const span = held[i];
        const times = leaving.get(span);
        if (times === undefined || times === 0) kept.push(span);
        else {
          leaving.set(span, times - 1);
          gone.push(span);
        }
      }
      if (gone.length === 0) continue;
      counts.spansIngested -= gone.length;
      if (kept.length === 0) {
        if (record.complete) counts.tracesComplete--;
        this.idle.remove(record);
        this.remove(record);
        continue;
      }
      kept.reverse();
      let bytes = 0;
      for (let i = 0; i < gone.length; i++) bytes += estimateSpanBytes(gone[i]);
      record.bytes -= bytes;
      counts.bytesStored -= bytes + this.releaseShared(gone);
      record.spans.length = 0;
      record.startTime = Number.POSITIVE_INFINITY;
      record.endTime = Number.NEGATIVE_INFINITY;
      record.errorCount = 0;
      for (const span of kept) {
        record.spans.push(span);
        if (span.startTime < record.startTime) record.startTime = span.startTime;
        if (span.endTime > record.endTime) record.endTime = span.endTime;
        if (span.status.code === 2) record.errorCount++;
      }
    }
  }

  private sweep(at: number): void {
    const idle = this.idle;
    const sampler = this.sampler;
    for (let record = idle.first; record !== undefined; record = idle.first) {
      if (at - record.lastReceived < this.idleMs) return;
      idle.remove(record);
      if (sampler !== undefined && !record.kept) {
        const duration = record.endTime - record.startTime;
        if (!keepTrace(sampler, record.traceId, record.errorCount, duration)) {
          this.counts.tailSampledTraces++;
          this.counts.tailSampledSpans += record.spans.length;
          this.dropped!.add(record.traceId);
          this.remove(record);
          continue;
        }
        record.kept = true;
      }
      record.complete = true;
      this.counts.tracesComplete++;
    }
  }

  private evictOverBounds(): void {
    const counts = this.counts;
    while (this.byId.size > this.maxTraces || counts.bytesStored > this.maxBytes) {
      const oldest = this.arrival.oldest;
      if (oldest === undefined) return;
      this.evict(oldest);
    }
  }

  /**
   * Keeps the log within `maxLogBytes` (with the frame about to be appended): when it is over,
   * evicts the traces first written to its oldest segments, which the log then deletes. This only
   * bites when the log holds much that the store does not, i.e. under heavy tail sampling.
   */
  private boundLog(log: AppendLog, extraBytes: number): void {
    let bytes = log.bytes + extraBytes;
    if (bytes <= this.maxLogBytes) return;
    const segments = log.segments();
    for (let i = 0; i < segments.length - 1 && bytes > this.maxLogBytes; i++) {
      const id = segments[i].id;
      for (let oldest = this.arrival.oldest; oldest !== undefined && oldest.firstSegment <= id; ) {
        this.evict(oldest);
        oldest = this.arrival.oldest;
      }
      bytes -= segments[i].size;
    }
  }

  private evict(record: StoreRecord): void {
    this.counts.tracesEvicted++;
    this.counts.spansEvicted += record.spans.length;
    if (record.complete) this.counts.tracesComplete--;
    this.idle.remove(record);
    this.remove(record);
  }

  /** Takes a record out of the map, the arrival order and the byte count. */
  private remove(record: StoreRecord): void {
    this.byId.delete(record.traceId);
    this.arrival.remove(record);
    this.counts.bytesStored -= record.bytes + this.releaseShared(record.spans);
  }

  /** Lets go of the resources and scopes of spans leaving the store; returns the bytes freed. */
  private releaseShared(spans: readonly StoredSpan[]): number {
    let freed = 0;
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i];
      freed += this.resources.release(span.resource) + this.scopes.release(span.scope);
    }
    return freed;
  }
}
