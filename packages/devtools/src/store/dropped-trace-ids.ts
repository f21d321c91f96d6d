/**
 * The ids of the last `capacity` traces tail sampling dropped, so that their late spans are
 * dropped too instead of starting the trace again. A ring of ids and a set: O(1) to add, to test,
 * and to forget the oldest.
 */
export class DroppedTraceIds {
  private readonly ring: (string | undefined)[];
  private readonly ids = new Set<string>();
  private next = 0;

  constructor(capacity: number) {
    this.ring = new Array<string | undefined>(capacity).fill(undefined);
  }

  add(traceId: string): void {
    if (this.ids.has(traceId)) return;
    const forgotten = this.ring[this.next];
    if (forgotten !== undefined) this.ids.delete(forgotten);
    this.ring[this.next] = traceId;
    this.ids.add(traceId);
    this.next = this.next + 1 === this.ring.length ? 0 : this.next + 1;
  }

  has(traceId: string): boolean {
    return this.ids.has(traceId);
  }

  get size(): number {
    return this.ids.size;
  }
}
