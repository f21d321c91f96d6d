import type { TraceState } from '@opentelemetry/api';

/** W3C Trace Context §3.3.1.1 (tracestate list): at most 32 list-members. */
export const MAX_TRACE_STATE_MEMBERS = 32;

/**
 * Longest combined `tracestate` value parsed at all; longer ones are discarded unread. 32 members of
 * the longest key (256) and value (256) are 32 × 513 = 16,416 characters; 480 more leave room for
 * commas, optional whitespace and the empty members that header combination produces.
 */
export const MAX_TRACE_STATE_HEADER_LENGTH = 16_896;

const MAX_KEY_LENGTH = 256;
const MAX_VALUE_LENGTH = 256;

/**
 * `key = ( lcalpha / DIGIT ) 0*255 ( keychar )`,
 * `keychar = lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@"` (W3C Trace Context, tracestate key).
 */
export function isValidTraceStateKey(key: string): boolean {
  const length = key.length;
  if (length === 0 || length > MAX_KEY_LENGTH) return false;
  let c = key.charCodeAt(0);
  if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39))) return false;
  for (let i = 1; i < length; i++) {
    c = key.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) continue;
    // _ - * / @
    if (c === 0x5f || c === 0x2d || c === 0x2a || c === 0x2f || c === 0x40) continue;
    return false;
  }
  return true;
}

/**
 * `value = 0*255(chr) nblk-chr`, `nblk-chr = %x21-2B / %x2D-3C / %x3E-7E`, `chr = %x20 / nblk-chr`
 * (W3C Trace Context, tracestate value): printable ASCII without `,` and `=`, not ending in a space.
 */
export function isValidTraceStateValue(value: string): boolean {
  const length = value.length;
  if (length === 0 || length > MAX_VALUE_LENGTH) return false;
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x2c || c === 0x3d) return false;
  }
  return value.charCodeAt(length - 1) !== 0x20;
}

/**
 * An immutable `tracestate`: `set` puts the key first (W3C Trace Context, "Mutating the tracestate
 * Field": modified keys MUST be moved to the beginning of the list), `unset` removes it, and an
 * invalid key or value leaves the state as it was. Entries are kept as one flat
 * `[key0, value0, key1, value1, …]` array: with at most 32 members a scan beats a Map and a copy is
 * one allocation.
 */
class ImmutableTraceState implements TraceState {
  private serialized: string | undefined;

  constructor(private readonly entries: readonly string[]) {}

  get(key: string): string | undefined {
    const entries = this.entries;
    for (let i = 0; i < entries.length; i += 2) if (entries[i] === key) return entries[i + 1];
    return undefined;
  }

  set(key: string, value: string): TraceState {
    if (!isValidTraceStateKey(key) || !isValidTraceStateValue(value)) return this;
    const entries = this.entries;
    const next: string[] = [key, value];
    for (let i = 0; i < entries.length; i += 2) {
      if (entries[i] === key) continue;
      // A new key beyond the 32-member limit pushes the last (rightmost) member out.
      if (next.length >= MAX_TRACE_STATE_MEMBERS * 2) break;
      next.push(entries[i]!, entries[i + 1]!);
    }
    return new ImmutableTraceState(next);
  }

  unset(key: string): TraceState {
    const entries = this.entries;
    let at = -1;
    for (let i = 0; i < entries.length; i += 2) {
      if (entries[i] === key) {
        at = i;
        break;
      }
    }
    if (at < 0) return this;
    const next = entries.slice(0, at).concat(entries.slice(at + 2));
    return new ImmutableTraceState(next);
  }

  serialize(): string {
    if (this.serialized !== undefined) return this.serialized;
    const entries = this.entries;
    let out = '';
    for (let i = 0; i < entries.length; i += 2) {
      if (i > 0) out += ',';
      out += `${entries[i]}=${entries[i + 1]}`;
    }
    this.serialized = out;
    return out;
  }
}

/** An empty tracestate. */
export function createTraceState(): TraceState {
  return new ImmutableTraceState([]);
}

function isOws(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/**
 * Parses a `tracestate` header (several header lines are combined with `,`, as RFC 7230 §3.2.2
 * says and W3C Trace Context §3.3.1 requires). Returns `undefined` when the combined value is
 * invalid, because the specification discards the whole header then: a member that breaks the key
 * or value grammar, a duplicated key, more than 32 list-members, or a header longer than
 * {@link MAX_TRACE_STATE_HEADER_LENGTH}. Empty and whitespace-only members are allowed and skipped
 * (they are not counted against the 32). One pass over the input, no regular expression.
 */
export function parseTraceState(header: string | string[]): TraceState | undefined {
  let text: string;
  if (typeof header === 'string') text = header;
  else if (Array.isArray(header)) {
    for (const line of header) if (typeof line !== 'string') return undefined;
    text = header.join(',');
  } else return undefined;
  const length = text.length;
  if (length > MAX_TRACE_STATE_HEADER_LENGTH) return undefined;

  const entries: string[] = [];
  let start = 0;
  while (start <= length) {
    let end = text.indexOf(',', start);
    if (end < 0) end = length;
    let from = start;
    let to = end;
    while (from < to && isOws(text.charCodeAt(from))) from++;
    // Trailing spaces are optional whitespace, not part of the value (tracestate value).
    while (to > from && isOws(text.charCodeAt(to - 1))) to--;
    if (from < to) {
      const eq = text.indexOf('=', from);
      if (eq < 0 || eq >= to) return undefined;
      const key = text.slice(from, eq);
      const value = text.slice(eq + 1, to);
      if (!isValidTraceStateKey(key) || !isValidTraceStateValue(value)) return undefined;
      for (let i = 0; i < entries.length; i += 2) if (entries[i] === key) return undefined;
      if (entries.length >= MAX_TRACE_STATE_MEMBERS * 2) return undefined;
      entries.push(key, value);
    }
    start = end + 1;
  }
  return new ImmutableTraceState(entries);
}

/**
 * The `tracestate` to send when the serialized state is longer than `maxLength` (W3C Trace
 * Context, "tracestate Limits"): whole entries are removed, first those longer than 128 characters,
 * then from the end of the list, until the rest fits.
 */
export function truncateTraceState(serialized: string, maxLength: number): string {
  if (serialized.length <= maxLength) return serialized;
  const members = serialized.split(',');
  let total = serialized.length;
  let count = members.length;
  const remove = (i: number): void => {
    // Removing one of several members also removes one separating comma.
    total -= members[i]!.length + (count > 1 ? 1 : 0);
    count--;
    members[i] = '';
  };
  for (let i = members.length - 1; i >= 0 && total > maxLength; i--) {
    if (members[i]!.length > 128) remove(i);
  }
  for (let i = members.length - 1; i >= 0 && total > maxLength; i--) {
    if (members[i] !== '') remove(i);
  }
  let out = '';
  for (const member of members) if (member !== '') out = out === '' ? member : `${out},${member}`;
  return out;
}
