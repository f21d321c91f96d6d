import type { TraceState } from '@opentelemetry/api';
import {
  allCharsIn,
  HEADER_CHARS,
  TRACE_STATE_KEY_CHAR,
  TRACE_STATE_KEY_START,
  TRACE_STATE_VALUE_CHAR,
} from './header-chars';
import { skipOws, trimOwsEnd } from './header-value';

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
  const c = key.charCodeAt(0);
  if (c > 0x7f || (HEADER_CHARS[c]! & TRACE_STATE_KEY_START) === 0) return false;
  return allCharsIn(key, 1, length, TRACE_STATE_KEY_CHAR);
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
    if (c !== 0x20 && (c > 0x7f || (HEADER_CHARS[c]! & TRACE_STATE_VALUE_CHAR) === 0)) return false;
  }
  return value.charCodeAt(length - 1) !== 0x20;
}

/**
 * An immutable `tracestate`: `set` puts the key first (W3C Trace Context, "Mutating the tracestate
 * Field": modified keys MUST be moved to the beginning of the list), `unset` removes it, and an
 * invalid key or value leaves the state as it was. Entries are kept as one flat
 * `[key0, value0, key1, value1, …]` array: with at most 32 members a scan beats a Map and a copy is
 * one allocation. A state extracted from a header that is already in serialized form (no optional
 * whitespace, no empty members: what every tracer sends) keeps just that text: `get` reads it in
 * place, `serialize` returns it, and the array is made only on `set` or `unset`.
 */
class ImmutableTraceState implements TraceState {
  private _entries: readonly string[] | undefined;
  private serialized: string | undefined;

  /** One of `entries` and `serialized` (valid and canonical) must be given. */
  constructor(entries: readonly string[] | undefined, serialized: string | undefined) {
    this._entries = entries;
    this.serialized = serialized;
  }

  private get entries(): readonly string[] {
    return (this._entries ??= splitSerialized(this.serialized ?? ''));
  }

  get(key: string): string | undefined {
    const entries = this._entries;
    if (entries === undefined) return getFromSerialized(this.serialized ?? '', key);
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
    return new ImmutableTraceState(next, undefined);
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
    return new ImmutableTraceState(next, undefined);
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

/** Entries of a valid, canonical `key=value,key=value` text (values hold no `,` nor `=`). */
function splitSerialized(text: string): string[] {
  const entries: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf(',', start);
    if (end < 0) end = text.length;
    const eq = text.indexOf('=', start);
    entries.push(text.slice(start, eq), text.slice(eq + 1, end));
    start = end + 1;
  }
  return entries;
}

/** `get` on a valid, canonical text, without splitting it. */
function getFromSerialized(text: string, key: string): string | undefined {
  const keyLength = key.length;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf(',', start);
    if (end < 0) end = text.length;
    // A member has exactly one `=`, after its key: `key` is this member's key when it is followed
    // by that `=` and lies within the member.
    if (
      end - start > keyLength &&
      text.charCodeAt(start + keyLength) === 0x3d &&
      text.startsWith(key, start)
    )
      return text.slice(start + keyLength + 1, end);
    start = end + 1;
  }
  return undefined;
}

/** An empty tracestate. */
export function createTraceState(): TraceState {
  return new ImmutableTraceState(undefined, '');
}

function isOws(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

const INVALID = -1;
const CANONICAL = 0;
const NOT_CANONICAL = 1;

// Where the keys seen so far start and how long they are, for the duplicate check: reused by every
// scan (synchronous, calls nothing), so validating allocates nothing.
const keyStarts: number[] = [];
const keyLengths: number[] = [];

function sameRange(text: string, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++)
    if (text.charCodeAt(a + i) !== text.charCodeAt(b + i)) return false;
  return true;
}

/**
 * Validates a combined `tracestate` in one pass without slicing it: {@link INVALID}, or whether it
 * is already in serialized form ({@link CANONICAL}). Same grammar and limits as
 * {@link parseEntries}, which reads the non-canonical ones.
 */
function scanTraceState(text: string): number {
  const length = text.length;
  let canonical = true;
  let members = 0;
  let start = 0;
  for (;;) {
    let from = start;
    while (from < length && isOws(text.charCodeAt(from))) from++;
    if (from !== start) canonical = false;
    if (from === length || text.charCodeAt(from) === 0x2c) {
      // An empty member: allowed, skipped, not counted.
      canonical = false;
      if (from === length) break;
      start = from + 1;
      continue;
    }
    // key = ( lcalpha / DIGIT ) 0*255 ( keychar ), then "=" at once.
    let c = text.charCodeAt(from);
    if (c > 0x7f || (HEADER_CHARS[c]! & TRACE_STATE_KEY_START) === 0) return INVALID;
    let eq = from + 1;
    for (; eq < length; eq++) {
      c = text.charCodeAt(eq);
      if (c > 0x7f || (HEADER_CHARS[c]! & TRACE_STATE_KEY_CHAR) === 0) break;
    }
    const keyLength = eq - from;
    if (eq === length || c !== 0x3d || keyLength > MAX_KEY_LENGTH) return INVALID;
    // value = 0*255(chr) nblk-chr, then optional whitespace up to "," or the end.
    const valueStart = eq + 1;
    let valueEnd = valueStart;
    let tab = false;
    let i = valueStart;
    for (; i < length; i++) {
      c = text.charCodeAt(i);
      if (c <= 0x7f && (HEADER_CHARS[c]! & TRACE_STATE_VALUE_CHAR) !== 0) {
        if (tab) return INVALID;
        valueEnd = i + 1;
      } else if (c === 0x2c) break;
      else if (c === 0x09)
        tab = true; // only as trailing optional whitespace
      else if (c !== 0x20) return INVALID;
    }
    const valueLength = valueEnd - valueStart;
    if (valueLength === 0 || valueLength > MAX_VALUE_LENGTH) return INVALID;
    if (valueEnd !== i) canonical = false;
    for (let m = 0; m < members; m++) {
      if (keyLengths[m] === keyLength && sameRange(text, keyStarts[m]!, from, keyLength))
        return INVALID;
    }
    if (members === MAX_TRACE_STATE_MEMBERS) return INVALID;
    keyStarts[members] = from;
    keyLengths[members] = keyLength;
    members++;
    if (i === length) break;
    start = i + 1;
  }
  return canonical ? CANONICAL : NOT_CANONICAL;
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
  if (text.length > MAX_TRACE_STATE_HEADER_LENGTH) return undefined;
  const scanned = scanTraceState(text);
  if (scanned === INVALID) return undefined;
  if (scanned === CANONICAL) return new ImmutableTraceState(undefined, text);
  return new ImmutableTraceState(parseEntries(text), undefined);
}

/** The entries of a `tracestate` that {@link scanTraceState} found valid. */
function parseEntries(text: string): string[] {
  const length = text.length;
  const entries: string[] = [];
  let start = 0;
  while (start <= length) {
    let end = text.indexOf(',', start);
    if (end < 0) end = length;
    const from = skipOws(text, start, end);
    // Trailing spaces are optional whitespace, not part of the value (tracestate value).
    const to = trimOwsEnd(text, from, end);
    if (from < to) {
      const eq = text.indexOf('=', from);
      entries.push(text.slice(from, eq), text.slice(eq + 1, to));
    }
    start = end + 1;
  }
  return entries;
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

/**
 * A span context's trace state as text, or undefined when it has none or one that cannot
 * serialize itself: a span context that went through JSON (a worker or queue message, a link
 * made from one) has a plain object there, and a custom one may throw or return something else.
 * A trace state made elsewhere (`createTraceState()` of `@opentelemetry/api`, whose `set` checks
 * nothing) is held to the grammar this one keeps: see {@link wellFormedTraceState}.
 */
export function serializeTraceState(traceState: TraceState | undefined): string | undefined {
  try {
    const text = traceState?.serialize();
    if (typeof text !== 'string') return undefined;
    return traceState instanceof ImmutableTraceState ? text : wellFormedTraceState(text);
  } catch {
    return undefined;
  }
}

/**
 * The members of a serialized trace state that W3C Trace Context allows to be sent ("tracestate
 * Header Field Values": the key and value grammar, "a maximum of 32 list-members", keys unique), in
 * their order: a malformed member or a repeated key is left out, and members past the 32nd.
 */
function wellFormedTraceState(text: string): string {
  if (text.length <= MAX_TRACE_STATE_HEADER_LENGTH && scanTraceState(text) === CANONICAL) {
    return text;
  }
  const keys: string[] = [];
  let out = '';
  for (const member of text.split(',')) {
    const eq = member.indexOf('=');
    if (eq < 0) continue;
    const keyStart = skipOws(member, 0, eq);
    const key = member.slice(keyStart, trimOwsEnd(member, keyStart, eq));
    const valueStart = skipOws(member, eq + 1, member.length);
    const value = member.slice(valueStart, trimOwsEnd(member, valueStart, member.length));
    if (!isValidTraceStateKey(key) || !isValidTraceStateValue(value)) continue;
    if (keys.includes(key)) continue;
    keys.push(key);
    out = out === '' ? `${key}=${value}` : `${out},${key}=${value}`;
    if (keys.length === MAX_TRACE_STATE_MEMBERS) break;
  }
  return out;
}
