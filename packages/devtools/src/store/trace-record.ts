import type { StoredSpan } from '../model';

/**
 * One trace as the store holds it. Every field is kept up to date as spans arrive (no pass over
 * the spans on read). The object is the store's own: read it, do not change it.
 */
export interface TraceRecord {
  readonly traceId: string;
  /** In arrival order. A span sent twice is kept twice (the analysis keeps the later copy). */
  readonly spans: readonly StoredSpan[];
  /**
   * No span has arrived for the store's `idleMs`. A span arriving later makes the trace
   * incomplete again until it is idle once more.
   */
  readonly complete: boolean;
  /** Clock time (the store's `now()`, epoch ms) of the first and of the latest span's arrival. */
  readonly firstReceived: number;
  readonly lastReceived: number;
  /**
   * The estimate of the memory the trace's own spans hold (see `estimateSpanBytes`); the
   * resources and scopes they share with other spans are counted by the store, once each.
   */
  readonly bytes: number;
  /** Earliest span start and latest span end, epoch ms. */
  readonly startTime: number;
  readonly endTime: number;
  /** Spans with ERROR status. */
  readonly errorCount: number;
}

/** What one stored trace costs besides its spans: the record, its map entry, the spans array. */
export const TRACE_OVERHEAD_BYTES = 256;

/**
 * The store's record: the public fields, plus its places in two intrusive lists (by first
 * arrival, for eviction; by latest arrival, for idle completion) so that every move is O(1).
 */
export class StoreRecord implements TraceRecord {
  readonly traceId: string;
  readonly spans: StoredSpan[] = [];
  complete = false;
  firstReceived: number;
  lastReceived: number;
  bytes = TRACE_OVERHEAD_BYTES;
  startTime = Number.POSITIVE_INFINITY;
  endTime = Number.NEGATIVE_INFINITY;
  errorCount = 0;
  /** Tail sampling kept it once: it is not judged again when it completes again. */
  kept = false;
  /** The log segment its first span was written to (0 in memory). */
  firstSegment: number;

  olderByArrival: StoreRecord | undefined = undefined;
  newerByArrival: StoreRecord | undefined = undefined;
  /** Set while the trace is incomplete, in the list ordered by `lastReceived`. */
  idleBefore: StoreRecord | undefined = undefined;
  idleAfter: StoreRecord | undefined = undefined;

  constructor(traceId: string, at: number, segment: number) {
    this.traceId = traceId;
    this.firstReceived = at;
    this.lastReceived = at;
    this.firstSegment = segment;
  }
}

/** A doubly linked list threaded through the records' `olderByArrival`/`newerByArrival`. */
export class ArrivalList {
  oldest: StoreRecord | undefined = undefined;
  newest: StoreRecord | undefined = undefined;

  append(record: StoreRecord): void {
    record.olderByArrival = this.newest;
    record.newerByArrival = undefined;
    if (this.newest === undefined) this.oldest = record;
    else this.newest.newerByArrival = record;
    this.newest = record;
  }

  remove(record: StoreRecord): void {
    const older = record.olderByArrival;
    const newer = record.newerByArrival;
    if (older === undefined) this.oldest = newer;
    else older.newerByArrival = newer;
    if (newer === undefined) this.newest = older;
    else newer.olderByArrival = older;
    record.olderByArrival = undefined;
    record.newerByArrival = undefined;
  }
}

/**
 * The incomplete traces, least recently received first: a span's arrival moves its trace to the
 * end, so the idle sweep only ever looks at the front.
 */
export class IdleList {
  first: StoreRecord | undefined = undefined;
  last: StoreRecord | undefined = undefined;

  has(record: StoreRecord): boolean {
    return record.idleBefore !== undefined || this.first === record;
  }

  /** Appends the record, or moves it to the end when it is already in the list. */
  touch(record: StoreRecord): void {
    if (this.last === record) return;
    if (this.has(record)) this.remove(record);
    record.idleBefore = this.last;
    record.idleAfter = undefined;
    if (this.last === undefined) this.first = record;
    else this.last.idleAfter = record;
    this.last = record;
  }

  remove(record: StoreRecord): void {
    if (!this.has(record)) return;
    const before = record.idleBefore;
    const after = record.idleAfter;
    if (before === undefined) this.first = after;
    else before.idleAfter = after;
    if (after === undefined) this.last = before;
    else after.idleBefore = before;
    record.idleBefore = undefined;
    record.idleAfter = undefined;
  }
}
