/**
 * The ids of the last `capacity` traces tail sampling dropped, so that their late spans are
 * dropped too instead of starting the trace again. A ring of ids and a set: O(1) to add, to test,
 * and to forget the oldest. The ring grows as ids are added, up to `capacity`: a store with a
 * large `maxTraces` pays for the ids it has dropped, not for its bound.
 */
export class DroppedTraceIds {
  private readonly capacity: number;
  private readonly ring: string[] = [];
  private readonly ids = new Set<string>();
  /** Once the ring is full: the slot of the oldest id, overwritten next. */
  private next = 0;

  constructor(capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`capacity must be at least 1, got ${capacity}`);
    this.capacity = Math.floor(capacity);
  }

  add(traceId: string): void {
    if (this.ids.has(traceId)) return;
    const ring = this.ring;
    if (ring.length < this.capacity) {
      ring.push(traceId);
    } else {
      this.ids.delete(ring[this.next]);
      ring[this.next] = traceId;
      this.next = this.next + 1 === ring.length ? 0 : this.next + 1;
    }
    this.ids.add(traceId);
  }

  has(traceId: string): boolean {
    return this.ids.has(traceId);
  }

  get size(): number {
    return this.ids.size;
  }
}
