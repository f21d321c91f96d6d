import { copyBytes } from '../runtime/edge';
/**
 * Writes JSON text straight into a growable UTF-8 byte buffer. Building the text as a string and
 * encoding it at the end spent over half of the JSON encoder's time flattening the rope and
 * re-encoding it (`encodeUtf8String` was 48% and the escape regex 7% of a CPU profile of the
 * 512-span bench batch, Node 20); writing bytes as they are produced does neither.
 */
export class JsonWriter {
  _buf: Uint8Array;
  _pos = 0;
  constructor(initialSize = 64 * 1024) {
    this._buf = new Uint8Array(initialSize);
  }

  _reset(): void {
    this._pos = 0;
  }

  /** A copy of the bytes written so far; the writer's buffer is reused by the next message. */
  _finish(): Uint8Array {
    return copyBytes(this._buf, this._pos);
  }

  _ensure(extra: number): void {
    const needed = this._pos + extra;
    if (needed <= this._buf.length) return;
    let size = this._buf.length * 2;
    while (size < needed) size *= 2;
    const next = new Uint8Array(size);
    next.set(this._buf.subarray(0, this._pos));
    this._buf = next;
  }

  /** Appends a copy of bytes already written, from `start` up to `end`. */
  _repeat(start: number, end: number): void {
    this._ensure(end - start);
    this._buf.copyWithin(this._pos, start, end);
    this._pos += end - start;
  }

  /** One ASCII character, by its code. */
  _byte(value: number): void {
    this._ensure(1);
    this._buf[this._pos++] = value;
  }

  /** Text that is ASCII and needs no escaping: the encoder's own punctuation and field names. */
  _raw(text: string): void {
    const length = text.length;
    this._ensure(length);
    const buf = this._buf;
    let pos = this._pos;
    for (let i = 0; i < length; i++) buf[pos++] = text.charCodeAt(i);
    this._pos = pos;
  }

  /**
   * A JSON string literal with the bytes `TextEncoder.encode(JSON.stringify(value.toWellFormed()))`
   * would give: `"` and `\` and control characters escaped (the short forms where JSON has them,
   * else `\u00xx`), everything else as raw UTF-8. A lone surrogate becomes U+FFFD, as in the
   * protobuf encoding: its `\udxxx` escape (what JSON.stringify writes) is no Unicode scalar
   * value, and a protobuf JSON parser (Go's protojson) rejects the whole request for it.
   */
  _string(value: string): void {
    const length = value.length;
    // Six bytes a code unit is the worst case (`\u001f`).
    this._ensure(length * 6 + 2);
    const buf = this._buf;
    let pos = this._pos;
    buf[pos++] = 34;
    for (let i = 0; i < length; i++) {
      let c = value.charCodeAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c !== 34 && c !== 92) {
          buf[pos++] = c;
          continue;
        }
        buf[pos++] = 92;
        const short = c === 34 ? 34 : c === 92 ? 92 : SHORT_ESCAPES.charCodeAt(c);
        if (short !== 32) {
          buf[pos++] = short;
        } else {
          pos = unicodeEscape(buf, pos, c);
        }
      } else if (c < 0x800) {
        buf[pos++] = 0xc0 | (c >> 6);
        buf[pos++] = 0x80 | (c & 63);
      } else if (c < 0xd800 || c > 0xdfff) {
        buf[pos++] = 0xe0 | (c >> 12);
        buf[pos++] = 0x80 | ((c >> 6) & 63);
        buf[pos++] = 0x80 | (c & 63);
      } else {
        const next = i + 1 < length ? value.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
          buf[pos++] = 0xf0 | (c >> 18);
          buf[pos++] = 0x80 | ((c >> 12) & 63);
          buf[pos++] = 0x80 | ((c >> 6) & 63);
          buf[pos++] = 0x80 | (c & 63);
        } else {
          buf[pos++] = 0xef;
          buf[pos++] = 0xbf;
          buf[pos++] = 0xbd;
        }
      }
    }
    buf[pos++] = 34;
    this._pos = pos;
  }

  /** Nine decimal digits, zero-padded: the nanoseconds part of a time after its seconds. */
  _nineDigits(value: number): void {
    this._ensure(9);
    this._pos = writeDigits(this._buf, this._pos, value, 9);
  }

  /** The decimal digits of a non-negative safe integer. */
  _uint(value: number): void {
    this._ensure(16);
    this._pos = writeDigits(this._buf, this._pos, value, digitCount(value));
  }

  /**
   * Nanoseconds since the epoch of an HrTime as a quoted decimal string, from the two integers
   * (seconds × 10⁹ exceeds 2⁵³, so no double holds the product exactly).
   */
  _hrTime(seconds: number, nanos: number): void {
    if (
      !(seconds >= 0 && seconds <= 0x1fffffffff && nanos >= 0 && nanos < 1e9) ||
      !Number.isInteger(seconds) ||
      !Number.isInteger(nanos)
    ) {
      this._string(hrTimeNanos(seconds, nanos));
      return;
    }
    this._ensure(24);
    const buf = this._buf;
    let pos = this._pos;
    buf[pos++] = 34;
    if (seconds === 0) {
      pos = writeDigits(buf, pos, nanos, digitCount(nanos));
    } else {
      pos = writeDigits(buf, pos, seconds, digitCount(seconds));
      pos = writeDigits(buf, pos, nanos, 9);
    }
    buf[pos++] = 34;
    this._pos = pos;
  }
}

/** Nanoseconds since the epoch as a decimal string (the general path of `hrTime`). */
export function hrTimeNanos(seconds: number, nanos: number): string {
  if (nanos >= 1e9) {
    // `[s, 1e9]`, which sdk-trace-base's rounding of milliseconds can make: carried into seconds
    const carry = Math.floor(nanos / 1e9);
    return hrTimeNanos(seconds + carry, nanos - carry * 1e9);
  }
  if (seconds === 0) return `${nanos}`;
  const n = `${nanos}`;
  return `${seconds}${'000000000'.slice(n.length)}${n}`;
}

// For each control character, the letter of its short escape (\b \t \n \f \r), else a space.
const SHORT_ESCAPES = '        btn fr                  ';
const HEX_DIGITS = '0123456789abcdef';

/** `u00xx` or `udxxx` after a backslash already written: lowercase, as JSON.stringify writes. */
function unicodeEscape(buf: Uint8Array, pos: number, c: number): number {
  buf[pos++] = 117; // u
  buf[pos++] = HEX_DIGITS.charCodeAt(c >> 12);
  buf[pos++] = HEX_DIGITS.charCodeAt((c >> 8) & 15);
  buf[pos++] = HEX_DIGITS.charCodeAt((c >> 4) & 15);
  buf[pos++] = HEX_DIGITS.charCodeAt(c & 15);
  return pos;
}

/** How many decimal digits a non-negative safe integer has. */
export function digitCount(value: number): number {
  let count = 1;
  for (let bound = 10; value >= bound && count < 16; bound *= 10) count++;
  return count;
}

/** `count` decimal digits of a non-negative safe integer, zero-padded on the left. */
function writeDigits(buf: Uint8Array, pos: number, value: number, count: number): number {
  let end = pos + count;
  const result = end;
  // Above 2³¹ the remainder needs floating-point division; below it, integer arithmetic.
  while (value > 0x7fffffff) {
    const q = Math.floor(value / 10);
    buf[--end] = 48 + (value - q * 10);
    value = q;
  }
  let v = value | 0;
  while (end > pos) {
    const q = (v / 10) | 0;
    buf[--end] = 48 + (v - q * 10);
    v = q;
  }
  return result;
}
