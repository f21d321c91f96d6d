import type { Attributes, AttributeValue } from '../model';

/**
 * Sets an attribute; a later value for the same key wins (as in a protobuf map). The key
 * `__proto__` is defined as an own property: assigned, it would replace the object's prototype.
 */
export function setAttribute(into: Attributes, key: string, value: AttributeValue): void {
  if (key === '__proto__') {
    Object.defineProperty(into, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } else {
    into[key] = value;
  }
}

/** The service a resource names: its `service.name` when that is a non-empty string. */
export function serviceOf(resource: Attributes, fallback: string): string {
  const name = Object.hasOwn(resource, 'service.name') ? resource['service.name'] : undefined;
  return typeof name === 'string' && name !== '' ? name : fallback;
}

/** AnyValue arrays and key-value lists nest; deeper than this is refused, not recursed into. */
export const MAX_VALUE_DEPTH = 32;
