import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import { type HeadersLike, headersGetter, headersSetter } from './headers-carrier';
import { mapGetter, mapSetter } from './map-carrier';
import { objectGetter, objectSetter } from './object-carrier';

/** Anything the automatic getter and setter take. */
export type Carrier = HeadersLike | Map<string, string | string[]> | Record<string, unknown>;

function isHeadersLike(carrier: unknown): carrier is HeadersLike {
  const c = carrier as Partial<HeadersLike> & { append?: unknown };
  return (
    typeof c.get === 'function' && typeof c.set === 'function' && typeof c.append === 'function'
  );
}

/**
 * Picks the right getter by the carrier's shape: a `Map`, a Fetch `Headers` (anything with `get`,
 * `set` and `append`), or a plain object such as Node's `IncomingHttpHeaders`.
 */
export const carrierGetter: TextMapGetter<unknown> = {
  keys(carrier) {
    if (carrier === null || typeof carrier !== 'object') return [];
    if (carrier instanceof Map) return mapGetter.keys(carrier);
    if (isHeadersLike(carrier)) return headersGetter.keys(carrier);
    return objectGetter.keys(carrier as Record<string, unknown>);
  },
  get(carrier, key) {
    if (carrier === null || typeof carrier !== 'object') return undefined;
    if (carrier instanceof Map) return mapGetter.get(carrier, key);
    if (isHeadersLike(carrier)) return headersGetter.get(carrier, key);
    return objectGetter.get(carrier as Record<string, unknown>, key);
  },
};

export const carrierSetter: TextMapSetter<unknown> = {
  set(carrier, key, value) {
    if (carrier === null || typeof carrier !== 'object') return;
    if (carrier instanceof Map) mapSetter.set(carrier, key, value);
    else if (isHeadersLike(carrier)) headersSetter.set(carrier, key, value);
    else objectSetter.set(carrier as Record<string, unknown>, key, value);
  },
};
