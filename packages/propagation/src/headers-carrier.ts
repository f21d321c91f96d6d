import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';

/**
 * The part of the Fetch API's `Headers` the propagators use. `Headers` matches names ignoring case
 * and joins repeated headers with `, `: a repeated `traceparent` therefore reads as invalid, and
 * repeated `tracestate` or `baggage` lines read as their combination, as the specifications want.
 */
export interface HeadersLike {
  get(name: string): string | null;
  set(name: string, value: string): void;
  forEach(callback: (value: string, name: string) => void): void;
}

export const headersGetter: TextMapGetter<HeadersLike> = {
  keys(carrier) {
    const keys: string[] = [];
    carrier.forEach((_value, name) => {
      keys.push(name);
    });
    return keys;
  },
  get(carrier, key) {
    return carrier.get(key) ?? undefined;
  },
};

export const headersSetter: TextMapSetter<HeadersLike> = {
  set(carrier, key, value) {
    carrier.set(key, value);
  },
};
