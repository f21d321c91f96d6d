import { copyBytes } from '../runtime/edge';
/**
 * Writes JSON text straight into a growable UTF-8 byte buffer. Building the text as a string and
 * encoding it at the end spent over half of the JSON encoder's time flattening the rope and
 * re-encoding it (`encodeUtf8String` was 48% and the escape regex 7% of a CPU profile of the
 * 512-span bench batch, Node 20); writing bytes as they are produced does neither.
 */
export class JsonWriter {
  buf: Uint8Array;
  pos = 0;
  constructor(initialSize = 64 * 1024) {
    this.buf = new Uint8Array(initialSize);
  }

  reset(): void {
    this.pos = 0;
  }

  /** A copy of the bytes written so far; the writer's buffer is reused by the next message. */
  finish(): Uint8Array {
    return copyBytes(this.buf, this.pos);
  }

  ensure(extra: number): void {
    const needed = this.pos + extra;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Appends a copy of bytes already written, from `start` up to `end`. */
  repeat(start: number, end: number): void {
    this.ensure(end - start);
    this.buf.copyWithin(this.pos, start, end);
    this.pos += end - start;
  }

  /** One ASCII character, by its code. */
  byte(value: number): void {
    this.ensure(1);
    this.buf[this.pos++] = value;
  }

  /** Text that is ASCII and needs no escaping: the encoder's own punctuation and field names. */
  raw(text: string): void {
    const length = text.length;
    this.ensure(length);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < length; i++) buf[pos++] = text.charCodeAt(i);
    this.pos = pos;
  }

  /**
   * A JSON string literal with the bytes `TextEncoder.encode(JSON.stringify(value))` would give:
   * `"` and `\` and control characters escaped (the short forms where JSON has them, else
   * `\u00xx`), lone surrogates escaped as `\udxxx`, everything else as raw UTF-8.
   */
  string(value: string): void {
    const length = value.length;
    // Six bytes a code unit is the worst case (`\u001f`, or a lone surrogate's escape).
    this.ensure(length * 6 + 2);
    const buf = this.buf;
    let pos = this.pos;
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
          buf[pos++] = 92;
          pos = unicodeEscape(buf, pos, c);
        }
      }
    }
    buf[pos++] = 34;
    this.pos = pos;
  }

  /** Nine decimal digits, zero-padded: the nanoseconds part of a time after its seconds. */
  nineDigits(value: number): void {
    this.ensure(9);
    this.pos = writeDigits(this.buf, this.pos, value, 9);
  }

  /** The decimal digits of a non-negative safe integer. */
  uint(value: number): void {
    this.ensure(16);
    this.pos = writeDigits(this.buf, this.pos, value, digitCount(value));
  }

  /**
   * Nanoseconds since the epoch of an HrTime as a quoted decimal string, from the two integers
   * (seconds × 10⁹ exceeds 2⁵³, so no double holds the product exactly).
   */
  hrTime(seconds: number, nanos: number): void {
    if (
      !(seconds >= 0 && seconds <= 0x1fffffffff && nanos >= 0 && nanos < 1e9) ||
      !Number.isInteger(seconds) ||
      !Number.isInteger(nanos)
    ) {
      this.string(hrTimeNanos(seconds, nanos));
      return;
    }
    this.ensure(24);
    const buf = this.buf;
    let pos = this.pos;
    buf[pos++] = 34;
    if (seconds === 0) {
      pos = writeDigits(buf, pos, nanos, digitCount(nanos));
    } else {
      pos = writeDigits(buf, pos, seconds, digitCount(seconds));
      pos = writeDigits(buf, pos, nanos, 9);
    }
    buf[pos++] = 34;
    this.pos = pos;
  }
}

/** Nanoseconds since the epoch as a decimal string (the general path of `hrTime`). */
export function hrTimeNanos(seconds: number, nanos: number): string {
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
