import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import { asHeaderValue } from './object-carrier';

/** A `Map` of header names to values. */
export type HeaderMap = Map<string, string | string[]>;

/**
 * Reads a `Map` in any name case: the exact name wins; otherwise every key matching ignoring case
 * is read, several being handed back as several header lines.
 */
export const mapGetter: TextMapGetter<HeaderMap> = {
  keys(carrier) {
    if (!(carrier instanceof Map)) return [];
    const keys: string[] = [];
    for (const key of carrier.keys()) if (typeof key === 'string') keys.push(key);
    return keys;
  },
  get(carrier, key) {
    if (!(carrier instanceof Map)) return undefined;
    if (carrier.has(key)) return asHeaderValue(carrier.get(key));
    let found: string | string[] | undefined;
    for (const [name, raw] of carrier) {
      if (typeof name !== 'string' || name.length !== key.length) continue;
      if (name.toLowerCase() !== key.toLowerCase()) continue;
      const value = asHeaderValue(raw);
      if (value === undefined) continue;
      found = found === undefined ? value : ([] as string[]).concat(found, value);
    }
    return found;
  },
};

export const mapSetter: TextMapSetter<HeaderMap> = {
  set(carrier, key, value) {
    if (carrier instanceof Map) carrier.set(key, value);
  },
};
