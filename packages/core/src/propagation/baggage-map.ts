import type { Baggage, BaggageEntry } from '@opentelemetry/api';

/**
 * An immutable `Baggage` over a `Map`, so that any key (`__proto__`, `constructor`) is plain data
 * and extract builds it in one pass. Every change returns a new instance, as the API requires.
 */
export class BaggageMap implements Baggage {
  constructor(private readonly entries: ReadonlyMap<string, BaggageEntry>) {}

  getEntry(key: string): BaggageEntry | undefined {
    const entry = this.entries.get(key);
    return entry === undefined ? undefined : { ...entry };
  }

  getAllEntries(): [string, BaggageEntry][] {
    return Array.from(this.entries, ([key, entry]) => [key, { ...entry }]);
  }

  setEntry(key: string, entry: BaggageEntry): Baggage {
    const next = new Map(this.entries);
    next.set(key, entry);
    return new BaggageMap(next);
  }

  removeEntry(key: string): Baggage {
    if (!this.entries.has(key)) return this;
    const next = new Map(this.entries);
    next.delete(key);
    return new BaggageMap(next);
  }

  removeEntries(...keys: string[]): Baggage {
    const next = new Map(this.entries);
    for (const key of keys) next.delete(key);
    return new BaggageMap(next);
  }

  clear(): Baggage {
    return new BaggageMap(new Map());
  }
}
