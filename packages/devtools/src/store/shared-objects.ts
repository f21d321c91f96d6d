/**
 * The objects stored spans share (resources, scopes: one per block of a request, or of a log
 * record), each counted once for the store's byte bound, for as long as at least one stored span
 * holds it. The store calls `hold` for each span it takes and `release` for each span it lets go
 * (evicted, dropped by tail sampling, rolled back), so the count is exact whatever order traces
 * leave in: an object is charged when its first holder arrives and freed when its last one leaves,
 * never twice, never below zero.
 *
 * O(1) a span: a WeakMap lookup, skipped for a run of spans sharing one object (the common case:
 * a request's spans share its resource and scope). An object's size is estimated once, when it is
 * first seen; its entry lives as long as the object does (the WeakMap does not keep it alive).
 */
export class SharedObjects<T extends object> {
  private readonly entries = new WeakMap<T, Entry>();
  private readonly estimate: (object: T) => number;
  /** The estimated bytes of the objects that at least one stored span holds. */
  bytes = 0;
  // The last object looked up, and its entry (an entry is never replaced: this is never stale).
  private lastObject: T | undefined;
  private lastEntry: Entry | undefined;

  constructor(estimate: (object: T) => number) {
    this.estimate = estimate;
  }

  /** One more span holds `object`; returns the bytes this adds (its size for its first holder). */
  hold(object: T): number {
    const entry = this.entryOf(object);
    if (entry.holders++ > 0) return 0;
    this.bytes += entry.bytes;
    return entry.bytes;
  }

  /** A span that held `object` is gone; returns the bytes this frees (its size for the last). */
  release(object: T): number {
    const entry = this.entryOf(object);
    // (Never 0 here: only a held span is released. Checked so that the count cannot go below.)
    if (entry.holders === 0 || --entry.holders > 0) return 0;
    this.bytes -= entry.bytes;
    return entry.bytes;
  }

  private entryOf(object: T): Entry {
    if (object === this.lastObject) return this.lastEntry!;
    let entry = this.entries.get(object);
    if (entry === undefined) {
      entry = { bytes: this.estimate(object), holders: 0 };
      this.entries.set(object, entry);
    }
    this.lastObject = object;
    this.lastEntry = entry;
    return entry;
  }
}

interface Entry {
  readonly bytes: number;
  /** Stored spans that hold the object. */
  holders: number;
}
