import { copyBytes } from '../runtime/edge';
import type { WrittenAttribute, WrittenName, WrittenRange } from './written-attribute';

/**
 * A growable protobuf writer for the handful of wire types OTLP uses. Nested messages are written
 * in one pass: `begin()` reserves one length byte (`beginLarge()` two, for spans), `end()` patches
 * it and, only when the length needs another number of bytes, moves the body (a memmove, which
 * costs less than a sizing pass over the message).
 */
export class ProtobufWriter {
  _buf: Uint8Array;
  _pos = 0;
  /**
   * Where the last `KeyValue` of each attribute key with a primitive value was written in the
   * current message (its length prefix and body), so that a repeat of it is copied.
   */
  readonly _lastAttribute = new Map<string, WrittenAttribute>();
  /** Boolean attributes, by value: a flag that flips from span to span still repeats. */
  readonly _lastTrueAttribute = new Map<string, WrittenAttribute>();
  readonly _lastFalseAttribute = new Map<string, WrittenAttribute>();
  /** Where each span name was last written, with the kind after it (see encode-protobuf). */
  readonly _lastName = new Map<string, WrittenName>();
  /**
   * The ranges recorded since the current span began (`journalFrom`): when the span's body moves,
   * only they can lie in it, so only they are adjusted, however many ranges the message holds.
   */
  private _journal: WrittenRange[] = [];
  private _journalLength = 0;
  private _journalFrom = 0;
  private _epoch = 0;
  /** The last trace id written by `traceId`, and where its length and 16 bytes are. */
  private _lastTraceId = '';
  private _lastTraceIdAt = 0;
  /** The last parent span id written by `parentSpanId`, and where its length and 8 bytes are. */
  private _lastParentId = '';
  private _lastParentIdAt = 0;
  private _view: DataView;

  constructor(initialSize = 64 * 1024) {
    this._buf = new Uint8Array(initialSize);
    this._view = new DataView(this._buf.buffer);
  }

  _reset(): void {
    this._pos = 0;
    this._lastAttribute.clear();
    this._lastTrueAttribute.clear();
    this._lastFalseAttribute.clear();
    this._lastName.clear();
    this._lastTraceId = '';
    this._lastParentId = '';
    this._startJournal(0);
  }

  /** Notes a range whose start and end were just set, so that a move of its bytes updates it. */
  _recorded(range: WrittenRange): void {
    if (range.epoch === this._epoch) return;
    range.epoch = this._epoch;
    // Entries past journalLength are stale ones of earlier spans, overwritten (no truncation:
    // setting an array's length is a runtime call, 2% of a profile).
    this._journal[this._journalLength++] = range;
  }

  private _startJournal(from: number): void {
    this._epoch++;
    this._journalLength = 0;
    this._journalFrom = from;
  }

  /** Appends a copy of bytes already written, from `start` up to `end`. */
  _repeat(start: number, end: number): void {
    this._ensure(end - start);
    this._buf.copyWithin(this._pos, start, end);
    this._pos += end - start;
  }

  /**
   * A trace id (32 hex digits) as length-delimited bytes. The spans of a trace share its id and
   * usually sit together in a batch, so an id equal to the last one is copied, not decoded again.
   */
  _traceId(hex: string): void {
    if (hex === this._lastTraceId) {
      this._repeat(this._lastTraceIdAt, this._lastTraceIdAt + 17);
      return;
    }
    const at = this._pos;
    this._hexBytes(hex);
    if (this._pos - at === 17) {
      this._lastTraceId = hex;
      this._lastTraceIdAt = at;
    }
  }

  /**
   * A parent span id (16 hex digits) as length-delimited bytes. Siblings end next to each other
   * (a batch is in order of ending), so an id equal to the last one is copied.
   */
  _parentSpanId(hex: string): void {
    if (hex === this._lastParentId) {
      this._repeat(this._lastParentIdAt, this._lastParentIdAt + 9);
      return;
    }
    const at = this._pos;
    this._hexBytes(hex);
    if (this._pos - at === 9) {
      this._lastParentId = hex;
      this._lastParentIdAt = at;
    }
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
    this._view = new DataView(next.buffer);
  }

  /** Writes one byte; used for tags, which are single bytes for every OTLP field below 16. */
  _byte(value: number): void {
    this._ensure(1);
    this._buf[this._pos++] = value;
  }

  /** A tag of a field number of 16 or more (two bytes). */
  _tag2(fieldNumber: number, wireType: number): void {
    this._uint32((fieldNumber << 3) | wireType);
  }

  _uint32(value: number): void {
    this._ensure(5);
    const buf = this._buf;
    let pos = this._pos;
    value >>>= 0;
    while (value > 127) {
      buf[pos++] = (value & 127) | 128;
      value >>>= 7;
    }
    buf[pos++] = value;
    this._pos = pos;
  }

  /**
   * An int64 given as a JavaScript number (an integer in [-2⁶³, 2⁶³)): negative values take ten
   * bytes in two's complement, as protobuf's int64 requires.
   */
  _int64(value: number): void {
    if (value >= 0 && value < 0x80000000) {
      this._uint32(value);
      return;
    }
    const abs = Math.abs(value);
    let lo = (abs % 0x100000000) >>> 0;
    let hi = Math.floor(abs / 0x100000000) >>> 0;
    if (value < 0) {
      lo = ~lo >>> 0;
      hi = ~hi >>> 0;
      lo = (lo + 1) >>> 0;
      if (lo === 0) hi = (hi + 1) >>> 0;
    }
    this._varint64(lo, hi);
  }

  private _varint64(lo: number, hi: number): void {
    this._ensure(10);
    const buf = this._buf;
    let pos = this._pos;
    while (hi > 0 || lo > 127) {
      buf[pos++] = (lo & 127) | 128;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[pos++] = lo;
    this._pos = pos;
  }

  _fixed32(value: number): void {
    this._ensure(4);
    const buf = this._buf;
    const pos = this._pos;
    buf[pos] = value & 255;
    buf[pos + 1] = (value >>> 8) & 255;
    buf[pos + 2] = (value >>> 16) & 255;
    buf[pos + 3] = value >>> 24;
    this._pos = pos + 4;
  }

  /**
   * Nanoseconds since the epoch of an HrTime, as fixed64. The product seconds × 10⁹ exceeds 2⁵³,
   * so it is built from two exact halves instead of one inexact double.
   */
  _hrTimeFixed64(seconds: number, nanos: number): void {
    this._ensure(8);
    // Remainders by powers of two as x - floor(x / m) * m, exact at these magnitudes: `%` on
    // doubles is a call to fmod (5.9% of a protobuf CPU profile of the bench batch, Node 20).
    const secHi = Math.floor(seconds / 65536);
    const secLo = seconds - secHi * 65536;
    const x = secHi * 1e9; // < 2^46, exact
    const xHi = Math.floor(x / 65536);
    const z = (x - xHi * 65536) * 65536 + secLo * 1e9 + nanos; // < 2^48, exact
    const zHi = Math.floor(z / 0x100000000);
    const lo = z - zHi * 0x100000000;
    const hi = xHi + zHi;
    const buf = this._buf;
    const pos = this._pos;
    buf[pos] = lo & 255;
    buf[pos + 1] = (lo >>> 8) & 255;
    buf[pos + 2] = (lo >>> 16) & 255;
    buf[pos + 3] = lo >>> 24;
    buf[pos + 4] = hi & 255;
    buf[pos + 5] = (hi >>> 8) & 255;
    buf[pos + 6] = (hi >>> 16) & 255;
    buf[pos + 7] = hi >>> 24;
    this._pos = pos + 8;
  }

  /** A field tag of one byte followed by `hrTimeFixed64`. */
  _taggedHrTime(tag: number, seconds: number, nanos: number): void {
    this._ensure(9);
    this._buf[this._pos++] = tag;
    this._hrTimeFixed64(seconds, nanos);
  }

  _double(value: number): void {
    this._ensure(8);
    this._view.setFloat64(this._pos, value, true);
    this._pos += 8;
  }

  /** Length-delimited bytes from a lowercase or uppercase hex string (trace and span ids). */
  _hexBytes(hex: string): void {
    const length = hex.length >>> 1;
    this._ensure(length + 1);
    const buf = this._buf;
    let pos = this._pos;
    buf[pos++] = length;
    for (let i = 0; i < hex.length; i += 2) {
      const a = hex.charCodeAt(i);
      const b = hex.charCodeAt(i + 1);
      // '0'-'9' → 0-9, 'a'-'f' and 'A'-'F' → 10-15, without a lookup table.
      buf[pos++] = (((a & 15) + (a >> 6) * 9) << 4) | ((b & 15) + (b >> 6) * 9);
    }
    this._pos = pos;
  }

  _bytes(value: Uint8Array): void {
    this._uint32(value.length);
    this._ensure(value.length);
    this._buf.set(value, this._pos);
    this._pos += value.length;
  }

  /** A length-delimited UTF-8 string (lone surrogates become U+FFFD, as TextEncoder does). */
  _string(value: string): void {
    const length = value.length;
    if (length > 200) {
      this._longString(value);
      return;
    }
    this._ensure(length * 3 + 2);
    const start = this._pos;
    const buf = this._buf;
    // Strings of 42 characters or fewer take at most 126 bytes: the length fits in one byte.
    let pos = length <= 42 ? start + 1 : start + 2;
    for (let i = 0; i < length; i++) {
      let c = value.charCodeAt(i);
      if (c < 0x80) {
        buf[pos++] = c;
      } else if (c < 0x800) {
        buf[pos++] = 0xc0 | (c >> 6);
        buf[pos++] = 0x80 | (c & 63);
      } else {
        if (c >= 0xd800 && c <= 0xdfff) {
          const next = i + 1 < length ? value.charCodeAt(i + 1) : 0;
          if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
            c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
            i++;
            buf[pos++] = 0xf0 | (c >> 18);
            buf[pos++] = 0x80 | ((c >> 12) & 63);
            buf[pos++] = 0x80 | ((c >> 6) & 63);
            buf[pos++] = 0x80 | (c & 63);
            continue;
          }
          c = 0xfffd;
        }
        buf[pos++] = 0xe0 | (c >> 12);
        buf[pos++] = 0x80 | ((c >> 6) & 63);
        buf[pos++] = 0x80 | (c & 63);
      }
    }
    if (length <= 42) {
      buf[start] = pos - start - 1;
      this._pos = pos;
      return;
    }
    // Up to 600 bytes: a two-byte length, or one byte and a shift down by one.
    const written = pos - start - 2;
    if (written < 128) {
      buf.copyWithin(start + 1, start + 2, pos);
      buf[start] = written;
      this._pos = pos - 1;
    } else {
      buf[start] = (written & 127) | 128;
      buf[start + 1] = written >>> 7;
      this._pos = pos;
    }
  }

  private _longString(value: string): void {
    this._ensure(value.length * 3 + 5);
    const start = this._begin();
    const encoder = textEncoder ?? (textEncoder = new TextEncoder());
    const { written } = encoder.encodeInto(value, this._buf.subarray(this._pos));
    this._pos += written;
    this._end(start);
  }

  /** Starts a length-delimited field's body (after its tag); returns the mark for `end`. */
  _begin(): number {
    this._ensure(1);
    return this._pos++;
  }

  /**
   * Like `begin`, reserving three length bytes, for a message that is usually 16 KiB to 2 MiB
   * long (a batch's `ResourceSpans` and `ScopeSpans`): its `endHuge` then moves nothing.
   */
  _beginHuge(): number {
    this._ensure(3);
    const at = this._pos;
    this._pos += 3;
    return at;
  }

  /**
   * Like `begin`, reserving two length bytes: for messages that are usually 128 bytes to 16 KiB
   * long (spans), whose `endLarge` then moves nothing.
   */
  _beginLarge(): number {
    this._ensure(2);
    const at = this._pos;
    this._pos += 2;
    this._startJournal(this._pos);
    return at;
  }

  _end(start: number): void {
    const length = this._pos - start - 1;
    if (length < 128) {
      this._buf[start] = length;
      return;
    }
    this._settle(start, 1);
  }

  _endLarge(start: number): void {
    this._settle(start, 2);
  }

  _endHuge(start: number): void {
    this._settle(start, 3);
  }

  /** Writes the length of the message begun at `start` with `reserved` length bytes. */
  private _settle(start: number, reserved: number): void {
    let length = this._pos - start - reserved;
    const size =
      length < 0x80 ? 1 : length < 0x4000 ? 2 : length < 0x200000 ? 3 : length < 0x10000000 ? 4 : 5;
    if (size !== reserved) {
      const shift = size - reserved;
      if (shift > 0) this._ensure(shift);
      this._buf.copyWithin(start + size, start + reserved, this._pos);
      this._pos += shift;
      this._moved(start + reserved, shift);
    }
    const buf = this._buf;
    let pos = start;
    while (length > 127) {
      buf[pos++] = (length & 127) | 128;
      length >>>= 7;
    }
    buf[pos] = length;
  }

  /** The bytes from `from` on have moved by `shift`: so have the copy sources recorded there. */
  private _moved(from: number, shift: number): void {
    if (this._lastTraceIdAt >= from) this._lastTraceIdAt += shift;
    if (this._lastParentIdAt >= from) this._lastParentIdAt += shift;
    if (from >= this._journalFrom) {
      const journal = this._journal;
      for (let i = 0; i < this._journalLength; i++) shiftRange(journal[i]!, from, shift);
      return;
    }
    for (const range of this._lastAttribute.values()) shiftRange(range, from, shift);
    for (const range of this._lastTrueAttribute.values()) shiftRange(range, from, shift);
    for (const range of this._lastFalseAttribute.values()) shiftRange(range, from, shift);
    for (const range of this._lastName.values()) shiftRange(range, from, shift);
  }
}

function shiftRange(range: WrittenRange, from: number, shift: number): void {
  if (range.start >= from) {
    range.start += shift;
    range.end += shift;
  }
}

let textEncoder: TextEncoder | undefined;
