import type { Baggage, BaggageEntry } from '@opentelemetry/api';
import { serializeEntries } from './baggage-codec';

/**
 * An immutable `Baggage` over a `Map`, so that any key (`__proto__`, `constructor`) is plain data
 * and extract builds it in one pass. Every change returns a new instance, as the API requires.
 * Entries are never handed out (readers get copies, `setEntry` stores one), so the serialized
 * header is made once per instance: baggage is typically extracted once and sent on every
 * outgoing request.
 */
export class BaggageMap implements Baggage {
  private header: string | undefined;

  /** `entries` becomes this instance's: nobody else may hold its entry objects. */
  constructor(private readonly entries: ReadonlyMap<string, BaggageEntry>) {
    this.header = undefined;
  }

  /** The `baggage` header for these entries (see serializeBaggage), made on first call. */
  serialize(): string {
    return (this.header ??= serializeEntries(this.entries));
  }

  getEntry(key: string): BaggageEntry | undefined {
    const entry = this.entries.get(key);
    return entry === undefined ? undefined : { ...entry };
  }

  getAllEntries(): [string, BaggageEntry][] {
    return Array.from(this.entries, ([key, entry]) => [key, { ...entry }]);
  }

  setEntry(key: string, entry: BaggageEntry): Baggage {
    const next = new Map(this.entries);
    next.set(key, { ...entry });
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
