import type { Attributes, AttributeValue } from '@opentelemetry/api';

function isPrimitive(value: unknown): boolean {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean';
}

/**
 * The specification's attribute values: a string, number or boolean, or an array of one of those
 * types, whose elements may also be null or undefined (kept as "no value" entries).
 */
export function isAttributeValue(value: unknown): value is AttributeValue {
  if (isPrimitive(value)) return true;
  if (!Array.isArray(value)) return false;
  let type: string | undefined;
  for (const element of value) {
    if (element === null || element === undefined) continue;
    const elementType = typeof element;
    if (!isPrimitive(element)) return false;
    if (type === undefined) type = elementType;
    else if (type !== elementType) return false;
  }
  return true;
}

/**
 * The value to store: strings (alone or in arrays) cut to `limit` characters, and arrays always
 * copied, so a caller that reuses its array cannot change a span after the fact.
 */
export function truncateValue(value: AttributeValue, limit: number): AttributeValue {
  if (typeof value === 'string') return value.length > limit ? truncateString(value, limit) : value;
  if (!Array.isArray(value)) return value;
  if (limit === Number.POSITIVE_INFINITY) return value.slice() as AttributeValue;
  return value.map((element) =>
    typeof element === 'string' && element.length > limit
      ? truncateString(element, limit)
      : element,
  ) as AttributeValue;
}

/**
 * `text` cut after `limit` characters, counted as code points (the specification's Attribute
 * Limits count "any character in it as 1"), so a surrogate pair is kept whole or cut whole; a lone
 * surrogate counts as one. Called only when `text.length > limit`: a string no longer than that
 * in UTF-16 units has no more code points, and is not scanned.
 */
export function truncateString(text: string, limit: number): string {
  let end = 0;
  for (let count = 1; count <= limit; count++) {
    if (end >= text.length) return text;
    const unit = text.charCodeAt(end++);
    if (unit >= 0xd800 && unit < 0xdc00 && (text.charCodeAt(end) & 0xfc00) === 0xdc00) end++;
  }
  return end >= text.length ? text : text.slice(0, end);
}

/** Sets `key` on a plain object even when it is `__proto__`: attribute keys are data. */
export function setOwn(target: Attributes, key: string, value: AttributeValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

export interface LimitedAttributes {
  attributes: Attributes;
  dropped: number;
}

/**
 * Validated, count-limited and truncated copy of a user's attribute map (for events and links).
 * Invalid entries are skipped and reported through `onInvalid`; entries past the limit are counted.
 */
export function limitAttributes(
  input: Attributes | undefined,
  countLimit: number,
  lengthLimit: number,
  onInvalid: (key: string) => void,
): LimitedAttributes {
  const attributes: Attributes = {};
  let count = 0;
  let dropped = 0;
  if (input === undefined || input === null || typeof input !== 'object') {
    return { attributes, dropped };
  }
  for (const key of Object.keys(input)) {
    const value = input[key];
    if (value === undefined || value === null) continue;
    if (key.length === 0 || !isAttributeValue(value)) {
      onInvalid(key);
      continue;
    }
    if (count >= countLimit) {
      dropped++;
      continue;
    }
    setOwn(attributes, key, truncateValue(value, lengthLimit));
    count++;
  }
  return { attributes, dropped };
}
