import type { Attributes, AttributeValue } from '@opentelemetry/api';

/** What {@link storedValue} returns for a value that is no attribute value. */
export const INVALID_VALUE: unique symbol = Symbol('invalid attribute value');

/**
 * The value to store for an attribute, or {@link INVALID_VALUE}. Attribute values are the
 * specification's AnyValue (common/README.md, "Attribute": "The attribute value MUST be one of
 * types defined in AnyValue"; `@opentelemetry/api` 1.10 types them so): a string, number or
 * boolean; `null`, the empty value; a byte array (`Uint8Array`, `Buffer`); an array of AnyValue,
 * its elements of any types; a map, a plain object of string keys to AnyValue, whose `undefined`
 * members are left out. `undefined` alone is no value (the caller skips it). Anything else (a class
 * instance such as a `Date` or a `Map`, other typed arrays, bigint, a symbol, a function, a cycle,
 * a getter that throws, nesting past the stack, more than {@link MAX_OBJECTS} arrays and maps) is
 * invalid as a whole.
 *
 * Strings are cut to `limit` characters and byte arrays to `limit` bytes, inside arrays and maps
 * too ("Attribute Limits": "apply the limit to each element … separately (and recursively)").
 * Arrays, maps and byte arrays are always copied, so a caller that reuses its object cannot change
 * a span after the fact. Primitives, nearly every attribute, are decided by one `typeof`.
 */
export function storedValue(value: unknown, limit: number): unknown {
  switch (typeof value) {
    case 'string':
      return value.length > limit ? truncateString(value, limit) : value;
    case 'number':
    case 'boolean':
      return value;
    case 'object':
      if (value === null) return null;
      try {
        return copyObject(value, limit, { ancestors: [], objects: 0 });
      } catch {
        // a throwing getter or proxy trap, or nesting deeper than the stack
        return INVALID_VALUE;
      }
    default:
      return INVALID_VALUE;
  }
}

/**
 * Most arrays, maps and byte arrays one value may hold. OTLP's AnyValue is a tree: an object
 * reached by two paths is sent twice, so a value built as a graph of shared parts (`[v, v]`,
 * nested 30 deep) would otherwise cost time and memory exponential in its depth.
 */
const MAX_OBJECTS = 10_000;

interface CopyState {
  /** The objects being copied, from the value down: one seen again is a cycle. */
  ancestors: object[];
  /** Arrays, maps and byte arrays copied so far. */
  objects: number;
}

/** An element of an array or a member of a map. */
function storedElement(value: unknown, limit: number, state: CopyState): unknown {
  if (typeof value === 'object' && value !== null) return copyObject(value, limit, state);
  return storedValue(value, limit);
}

function copyObject(value: object, limit: number, state: CopyState): unknown {
  if (++state.objects > MAX_OBJECTS) return INVALID_VALUE;
  if (ArrayBuffer.isView(value)) {
    // Uint8Array and its subclass Buffer (their tag is the same), from any realm
    if ((value as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] !== 'Uint8Array') {
      return INVALID_VALUE;
    }
    const bytes = value as Uint8Array;
    const kept = bytes.length > limit ? bytes.subarray(0, limit) : bytes;
    const copy = new Uint8Array(kept.length);
    copy.set(kept);
    return copy;
  }
  const ancestors = state.ancestors;
  if (ancestors.includes(value)) return INVALID_VALUE;
  ancestors.push(value);
  let copy: unknown[] | Record<string, unknown> | typeof INVALID_VALUE;
  if (Array.isArray(value)) {
    copy = [];
    for (let i = 0; i < value.length; i++) {
      const element = value[i];
      // an undefined element is an empty value, kept in its place (as null is)
      const stored = element === undefined ? undefined : storedElement(element, limit, state);
      if (stored === INVALID_VALUE) {
        copy = INVALID_VALUE;
        break;
      }
      copy.push(stored);
    }
  } else {
    // a plain object of any realm: its prototype is null or a root (some realm's Object.prototype)
    const proto = Object.getPrototypeOf(value);
    if (proto !== null && Object.getPrototypeOf(proto) !== null) {
      copy = INVALID_VALUE;
    } else {
      copy = {};
      for (const key of Object.keys(value)) {
        const member = (value as Record<string, unknown>)[key];
        if (member === undefined) continue;
        const stored = storedElement(member, limit, state);
        if (stored === INVALID_VALUE) {
          copy = INVALID_VALUE;
          break;
        }
        setOwn(copy as Attributes, key, stored);
      }
    }
  }
  ancestors.pop();
  return copy;
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
export function setOwn(target: Attributes, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value as AttributeValue;
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
    if (value === undefined) continue;
    const stored = key.length === 0 ? INVALID_VALUE : storedValue(value, lengthLimit);
    if (stored === INVALID_VALUE) {
      onInvalid(key);
      continue;
    }
    if (count >= countLimit) {
      dropped++;
      continue;
    }
    setOwn(attributes, key, stored);
    count++;
  }
  return { attributes, dropped };
}

/**
 * Attributes as a string equal for equal attributes, in any order (a scope's, to tell scopes
 * apart): JSON, with what JSON would blur (NaN, ±Infinity and `undefined` all as `null`) spelled
 * apart.
 */
export function attributesKey(attributes: Attributes): string {
  return JSON.stringify(
    Object.keys(attributes)
      .sort()
      .map((key) => [key, attributes[key]]),
    (_key, value) =>
      value === undefined || (typeof value === 'number' && !Number.isFinite(value))
        ? `\0${value}`
        : value,
  );
}
