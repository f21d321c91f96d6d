import {
  type Baggage,
  type BaggageEntry,
  baggageEntryMetadataFromString,
} from '@opentelemetry/api';
import { allCharsIn, BAGGAGE_OCTET, HEADER_CHARS, TOKEN_CHAR } from './header-chars';
import { skipOws, trimOwsEnd } from './header-value';

/**
 * Longest combined `baggage` value sent, and the most bytes of members read. W3C Baggage
 * (Candidate Recommendation, "Limits"): a platform MUST propagate all list-members when the
 * resulting baggage-string is 8192 bytes or less, and MAY drop whole members past that. The header
 * is ASCII, so bytes are characters. This bound alone also bounds the number of members, so there
 * is no separate count or per-member limit (the 180-member and 4096-byte limits of the older
 * drafts would drop members that the current text requires to be sent).
 */
export const MAX_BAGGAGE_LENGTH = 8192;

/**
 * Longest `baggage` value looked at on extract: room for 8192 bytes of members with optional
 * whitespace around each, and a bound on the work a hostile header can cause.
 */
const MAX_BAGGAGE_SCAN = 4 * MAX_BAGGAGE_LENGTH;

function isToken(text: string, from: number, to: number): boolean {
  return from < to && allCharsIn(text, from, to, TOKEN_CHAR);
}

function isBaggageValue(text: string, from: number, to: number): boolean {
  return allCharsIn(text, from, to, BAGGAGE_OCTET);
}

/** Whether `key` may be sent as a baggage key: an RFC 7230 token. */
export function isValidBaggageKey(key: string): boolean {
  return isToken(key, 0, key.length);
}

/** A run of `%XX` escapes: the bytes of one or more UTF-8 characters. */
const ESCAPES = /(?:%[0-9A-Fa-f]{2})+/g;
let utf8Decoder: TextDecoder | undefined;

/**
 * Percent-decodes a value as W3C Baggage asks (value: "a URL encoded UTF-8 string"), leniently:
 * each run of `%XX` escapes is decoded as UTF-8, byte sequences that are not UTF-8 becoming U+FFFD
 * ("MUST be replaced with the replacement code point"); a `%` not followed by two hex digits, and
 * any other character, stays as it is. `OTEL_EXPORTER_OTLP_HEADERS` values are decoded the same way.
 */
export function decodeBaggageValue(raw: string): string {
  if (raw.indexOf('%') < 0) return raw;
  try {
    // The native decoder takes well-formed input; it throws on what needs the careful path below.
    return decodeURIComponent(raw);
  } catch {
    return raw.replace(ESCAPES, decodeEscapes);
  }
}

function decodeEscapes(run: string): string {
  const bytes = new Uint8Array(run.length / 3);
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = Number.parseInt(run.slice(3 * i + 1, 3 * i + 3), 16);
  }
  // `ignoreBOM`: a leading U+FEFF is part of the value, as decodeURIComponent keeps it.
  utf8Decoder ??= new TextDecoder('utf-8', { ignoreBOM: true });
  return utf8Decoder.decode(bytes);
}

/**
 * Percent-encodes a value for the header (W3C Baggage, value): every code point outside
 * `baggage-octet`, `%` ("MUST be percent-encoded") and `+`, as its UTF-8 bytes, `%XX` with
 * uppercase hex; every other character is sent as it is. `+` is a baggage-octet, but receivers
 * that decode values form-style (OpenTelemetry Python's `unquote_plus`, say) read it as a space, so
 * it is sent as `%2B`, which every decoder reads as `+` ("Code points which are not required to be
 * percent-encoded MAY be percent-encoded"); values rarely hold one. So a value received as
 * baggage-octets goes on as it came, but that escapes come out in uppercase, an escape of a
 * character that needs none as the character, and a bare `+` as `%2B`. Lone surrogates, which
 * have no UTF-8 form, become U+FFFD.
 */
export function encodeBaggageValue(value: string): string {
  const length = value.length;
  let out = '';
  // Start of the characters not yet copied to `out`: 0 as long as nothing needed encoding, so
  // that the usual value is returned as it is, with no copy.
  let from = 0;
  let i = 0;
  while (i < length) {
    const c = value.charCodeAt(i);
    if (c < 0x80 && (HEADER_CHARS[c]! & BAGGAGE_OCTET) !== 0 && c !== 0x25 && c !== 0x2b) {
      i++;
    } else if (c < 0x80) {
      // One byte, spelled out: this measured twice as fast as a call to encodeURIComponent.
      out += `${value.slice(from, i)}%${HEX[c >> 4]}${HEX[c & 15]}`;
      from = ++i;
    } else {
      // A run of characters outside ASCII, every one of which encodeURIComponent encodes.
      let end = i + 1;
      while (end < length && value.charCodeAt(end) >= 0x80) end++;
      out += value.slice(from, i) + encodeUtf8(value.slice(i, end));
      from = i = end;
    }
  }
  return from === 0 ? value : out + value.slice(from);
}

const HEX = '0123456789ABCDEF';

/** `encodeURIComponent(run)`, a lone surrogate, on which it throws, becoming U+FFFD. */
function encodeUtf8(run: string): string {
  try {
    return encodeURIComponent(run);
  } catch {
    return encodeURIComponent(
      run.replace(
        /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
        '\uFFFD',
      ),
    );
  }
}

/**
 * Validates `*( OWS ";" OWS property )` in `text[from, to)`, where `from` is just past a `;`, with
 * `property = key OWS "=" OWS value / key OWS`, and returns the properties with their optional
 * whitespace trimmed, or `undefined` when one is malformed.
 */
function parseProperties(text: string, from: number, to: number): string | undefined {
  let out = '';
  let start = from;
  while (start <= to) {
    let end = text.indexOf(';', start);
    if (end < 0 || end > to) end = to;
    const a = skipOws(text, start, end);
    const b = trimOwsEnd(text, a, end);
    let eq = a;
    while (eq < b && text.charCodeAt(eq) !== 0x3d) eq++;
    let property: string;
    if (eq < b) {
      const keyEnd = trimOwsEnd(text, a, eq);
      const valueStart = skipOws(text, eq + 1, b);
      if (!isToken(text, a, keyEnd) || !isBaggageValue(text, valueStart, b)) return undefined;
      property = `${text.slice(a, keyEnd)}=${text.slice(valueStart, b)}`;
    } else {
      if (!isToken(text, a, b)) return undefined;
      property = text.slice(a, b);
    }
    out = out === '' ? property : `${out};${property}`;
    start = end + 1;
  }
  return out;
}

/** Validates baggage entry metadata for sending; `undefined` when it is not a property list. */
export function normalizeBaggageProperties(metadata: string): string | undefined {
  return parseProperties(metadata, 0, metadata.length);
}

/**
 * Parses a combined `baggage` header (W3C Baggage, Definition) into a `Map` of entries, in which
 * keys such as `__proto__` are plain data. Malformed list-members are dropped
 * one by one ("it MAY remove that entry"); a key seen again replaces the earlier entry. Members
 * are read while they fit in {@link MAX_BAGGAGE_LENGTH} bytes as inject will send them (without
 * the optional whitespace, values encoded again, a replaced member not counted), so a header that
 * goes on in 8192 bytes is read whole however it was spaced ("Limits": "MUST propagate all
 * list-members … if … the resulting baggage-string contains 8192 bytes or less"); a member past
 * that is dropped whole, as on inject.
 */
export function parseBaggageHeader(header: string): Map<string, BaggageEntry> | undefined {
  let text = header;
  if (text.length > MAX_BAGGAGE_SCAN) {
    // Of a header this long, the whole members that end within the bound.
    const cut = text.lastIndexOf(',', MAX_BAGGAGE_SCAN);
    text = cut < 0 ? '' : text.slice(0, cut);
  }
  const length = text.length;
  // Bytes of the members read so far, joined by commas, as `serializeEntries` will send them.
  let size = -1;
  let entries: Map<string, BaggageEntry> | undefined;
  // The next `;` and `=` at or after the member being read (`length` when there is none), kept
  // across members so that each is searched for once per header, not once per member.
  let semi = -1;
  let equals = -1;
  let start = 0;
  while (start <= length) {
    let end = text.indexOf(',', start);
    if (end < 0) end = length;
    const from = skipOws(text, start, end);
    const to = trimOwsEnd(text, from, end);
    start = end + 1;
    if (from === to) continue;
    if (semi < from) {
      semi = text.indexOf(';', from);
      if (semi < 0) semi = length;
    }
    const kvEnd = Math.min(semi, to);
    if (equals < from) {
      equals = text.indexOf('=', from);
      if (equals < 0) equals = length;
    }
    const eq = equals;
    if (eq >= kvEnd) continue;
    const keyEnd = trimOwsEnd(text, from, eq);
    const valueStart = skipOws(text, eq + 1, kvEnd);
    const valueEnd = trimOwsEnd(text, valueStart, kvEnd);
    if (!isToken(text, from, keyEnd) || !isBaggageValue(text, valueStart, valueEnd)) continue;
    let properties: string | undefined;
    if (kvEnd < to) {
      properties = parseProperties(text, kvEnd + 1, to);
      if (properties === undefined) continue;
    }
    const key = text.slice(from, keyEnd);
    const value = decodeBaggageValue(text.slice(valueStart, valueEnd));
    // what this member will take when sent, the earlier member of the same key given back
    const earlier = entries?.get(key);
    const before =
      earlier === undefined
        ? size
        : size - 1 - sentSize(key, earlier.value, earlier.metadata?.toString());
    const after = before + 1 + sentSize(key, value, properties);
    if (after > MAX_BAGGAGE_LENGTH) continue;
    size = after;
    const entry: BaggageEntry = { value };
    if (properties !== undefined) entry.metadata = baggageEntryMetadataFromString(properties);
    entries ??= new Map();
    entries.set(key, entry);
  }
  return entries;
}

/** The bytes an entry takes in the header `serializeEntries` writes, without a separator. */
function sentSize(key: string, value: string, properties: string | undefined): number {
  const size = key.length + 1 + encodedLength(value);
  return properties ? size + 1 + properties.length : size;
}

/** `encodeBaggageValue(value).length`, without building it. */
export function encodedLength(value: string): number {
  let length = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) {
      length += (HEADER_CHARS[c]! & BAGGAGE_OCTET) !== 0 && c !== 0x25 && c !== 0x2b ? 1 : 3;
    } else if (c < 0x800) {
      length += 6;
    } else if (c >= 0xd800 && c <= 0xdbff && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // a surrogate pair: one code point of four UTF-8 bytes
      length += 12;
      i++;
    } else {
      // three UTF-8 bytes, or a lone surrogate, sent as U+FFFD's three
      length += 9;
    }
  }
  return length;
}

/**
 * Serializes baggage for the header, skipping entries whose key is not a token, dropping metadata
 * that is not a property list, and leaving out whole members that would take the header past
 * {@link MAX_BAGGAGE_LENGTH} (never part of one).
 */
export function serializeBaggage(baggage: Baggage): string {
  return serializeEntries(baggage.getAllEntries());
}

/** {@link serializeBaggage} of `[key, entry]` pairs. */
export function serializeEntries(entries: Iterable<[string, BaggageEntry]>): string {
  let out = '';
  for (const [key, entry] of entries) {
    if (!isValidBaggageKey(key) || typeof entry?.value !== 'string') continue;
    let member = `${key}=${encodeBaggageValue(entry.value)}`;
    const metadata = entry.metadata?.toString();
    if (typeof metadata === 'string' && metadata !== '') {
      const properties = normalizeBaggageProperties(metadata);
      if (properties !== undefined) member += `;${properties}`;
    }
    const added = out === '' ? member.length : member.length + 1;
    if (out.length + added > MAX_BAGGAGE_LENGTH) continue;
    out = out === '' ? member : `${out},${member}`;
  }
  return out;
}
