import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';

/**
 * A plain object of headers, such as Node's `IncomingHttpHeaders` (`string | string[]` values,
 * lowercase names) or a hand-written `{ Traceparent: '…' }`.
 */
export type HeaderObject = Record<string, unknown>;

const hasOwn = Object.prototype.hasOwnProperty;

function sameNameIgnoringCase(a: string, b: string): boolean {
  return a.length === b.length && a.toLowerCase() === b.toLowerCase();
}

/**
 * Reads headers from a plain object in any name case. An own property of exactly the asked name
 * wins (the common case, and all of Node's `IncomingHttpHeaders`); otherwise every own property
 * whose name matches ignoring case is read, and several are handed back as several header lines.
 * Inherited properties (`constructor`, `__proto__`) are never read.
 */
export const objectGetter: TextMapGetter<HeaderObject> = {
  keys(carrier) {
    return carrier !== null && typeof carrier === 'object' ? Object.keys(carrier) : [];
  },
  get(carrier, key) {
    if (carrier === null || typeof carrier !== 'object') return undefined;
    if (hasOwn.call(carrier, key)) return asHeaderValue(carrier[key]);
    let found: string | string[] | undefined;
    for (const name of Object.keys(carrier)) {
      if (!sameNameIgnoringCase(name, key)) continue;
      const value = asHeaderValue(carrier[name]);
      if (value === undefined) continue;
      if (found === undefined) found = value;
      else found = ([] as string[]).concat(found, value);
    }
    return found;
  },
};

/** Writes a header as an own property of the given name. */
export const objectSetter: TextMapSetter<HeaderObject> = {
  set(carrier, key, value) {
    if (carrier === null || typeof carrier !== 'object') return;
    carrier[key] = value;
  },
};

/** A header value as propagators read it: a string or an array of strings, else nothing. */
export function asHeaderValue(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (!Array.isArray(value)) return undefined;
  for (const line of value) if (typeof line !== 'string') return undefined;
  return value as string[];
}
