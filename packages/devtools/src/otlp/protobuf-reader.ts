import { Buffer } from 'node:buffer';
import { bytesToHex } from './bytes-to-hex';
import { OtlpDecodeError } from './otlp-decode-error';
import { MAX_CACHED_LENGTH, RepeatedStrings } from './repeated-strings';
import { nanosToMillis } from './unix-nanos';

let utf8: TextDecoder | undefined;
let sharedRepeated: RepeatedStrings | undefined;

/**
 * One cursor over a protobuf message. Every read checks the bounds it is given and throws an
 * `OtlpDecodeError` past them, so a truncated or garbage body ends in an error, never in a read
 * past the end or a loop that does not advance (each read moves `pos` forward by at least one).
 */
export class ProtobufReader {
  pos = 0;
  readonly buf: Uint8Array;
  private readonly view: DataView;

  private readonly repeated: RepeatedStrings;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    // One cache for all decodes: decoding is synchronous, so one body at a time uses it.
    this.repeated = sharedRepeated ??= new RepeatedStrings();
    this.repeated.reset(buf);
  }

  /** An unsigned varint of up to 10 bytes, as a number (exact up to 2^53). */
  varint(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= end) throw truncated(pos);
    let byte = buf[pos++]!;
    if (byte < 0x80) {
      this.pos = pos;
      return byte;
    }
    let value = byte & 0x7f;
    let scale = 0x80;
    for (let i = 1; i < 10; i++) {
      if (pos >= end) throw truncated(pos);
      byte = buf[pos++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        this.pos = pos;
        return value;
      }
      scale *= 0x80;
    }
    throw new OtlpDecodeError(`varint longer than 10 bytes at byte ${pos}`);
  }

  /**
   * A varint read as protobuf's `int32` (an enum's type too): its low 32 bits, signed, as protobuf
   * parsers take them. A negative value comes as 10 bytes, sign-extended to 64 bits.
   */
  int32(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    let value = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (pos >= end) throw truncated(pos);
      const byte = buf[pos++]!;
      // Bits past 31 are dropped (`<<` keeps 32 bits); bytes past the fifth only hold them.
      if (shift < 32) value |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.pos = pos;
        return value;
      }
    }
    throw new OtlpDecodeError(`varint longer than 10 bytes at byte ${pos}`);
  }

  /** A varint read as protobuf's `uint32`: its low 32 bits, unsigned. */
  uint32(end: number): number {
    return this.int32(end) >>> 0;
  }

  /** A `fixed32`: four bytes, little-endian, unsigned. */
  fixed32(end: number): number {
    const pos = this.pos;
    if (pos + 4 > end) throw truncated(pos);
    this.pos = pos + 4;
    return this.view.getUint32(pos, true);
  }

  /**
   * A varint read as protobuf's `int64` (two's complement in 64 bits): a number when it is a safe
   * integer (within ±(2^53 − 1)), else its exact decimal string (see `AttributeValue`).
   */
  int64(end: number): number | string {
    const buf = this.buf;
    let pos = this.pos;
    let low = 0;
    let high = 0;
    let byte = 0;
    // Bits 0-27 from the first four bytes.
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) throw truncated(pos);
      byte = buf[pos++]!;
      low |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.pos = pos;
        return low;
      }
    }
    // The fifth byte holds bits 28-34, across the two halves.
    if (pos >= end) throw truncated(pos);
    byte = buf[pos++]!;
    low |= (byte & 0x0f) << 28;
    high = (byte & 0x7f) >> 4;
    if (byte >= 0x80) {
      for (let shift = 3; ; shift += 7) {
        if (shift > 31) throw new OtlpDecodeError(`varint longer than 10 bytes at byte ${pos}`);
        if (pos >= end) throw truncated(pos);
        byte = buf[pos++]!;
        high |= (byte & 0x7f) << shift;
        if (byte < 0x80) break;
      }
    }
    this.pos = pos;
    // Exact while the magnitude is below 2^53; at or past it, the double is too (rounding keeps
    // order), so `isSafeInteger` tells the two apart.
    const value =
      high & 0x80000000
        ? -((~high >>> 0) * 4294967296 + (~low >>> 0) + 1)
        : (high >>> 0) * 4294967296 + (low >>> 0);
    if (Number.isSafeInteger(value)) return value;
    return BigInt.asIntN(64, (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0)).toString();
  }

  /** Reads a length prefix; returns where the field's bytes end (never past `end`). */
  lengthEnd(end: number): number {
    const length = this.varint(end);
    const stop = this.pos + length;
    if (stop > end) {
      throw new OtlpDecodeError(
        `length-delimited field at byte ${this.pos} runs ${stop - end} byte(s) past its message`,
      );
    }
    return stop;
  }

  /** A `fixed64` unix-nanosecond time as epoch milliseconds (see `nanosToMillis`). */
  unixNanos(end: number): number {
    const pos = this.pos;
    if (pos + 8 > end) throw truncated(pos);
    this.pos = pos + 8;
    return nanosToMillis(this.view.getUint32(pos, true), this.view.getUint32(pos + 4, true));
  }

  double(end: number): number {
    const pos = this.pos;
    if (pos + 8 > end) throw truncated(pos);
    this.pos = pos + 8;
    return this.view.getFloat64(pos, true);
  }

  /**
   * A length-delimited UTF-8 string. Bytes that are not UTF-8 throw the TextDecoder's TypeError
   * (see `decodeUtf8`), with `pos` left at the string's first byte.
   */
  string(end: number): string {
    const stop = this.lengthEnd(end);
    const start = this.pos;
    if (stop === start) return '';
    const text =
      stop - start > MAX_CACHED_LENGTH
        ? decodeUtf8(this.buf, start, stop)
        : this.repeated.get(start, stop, decodeUtf8);
    this.pos = stop;
    return text;
  }

  /**
   * Length-delimited bytes as lowercase hex (an id). `last` remembers the id read last for the
   * same field: the spans of a batch share trace ids and siblings share a parent id, so most ids
   * are compared with the previous one instead of being converted again. An id longer than 32
   * bytes (never a valid one) is cut there and marked with a trailing '…'.
   */
  hexId(end: number, last: LastId): string {
    const stop = this.lengthEnd(end);
    const start = this.pos;
    this.pos = stop;
    const length = stop - start;
    if (length > 32) return `${bytesToHex(this.buf, start, start + 32)}…`;
    if (length === last.length && sameBytes(this.buf, start, last.start, length)) return last.hex;
    last.start = start;
    last.length = length;
    return (last.hex = bytesToHex(this.buf, start, stop));
  }

  /** Length-delimited bytes as base64 (OTLP's `bytes_value`; the model keeps bytes as base64). */
  base64(end: number): string {
    const stop = this.lengthEnd(end);
    const start = this.pos;
    this.pos = stop;
    const buf = this.buf;
    return Buffer.from(buf.buffer, buf.byteOffset + start, stop - start).toString('base64');
  }

  /** Skips a field's value after its tag, by wire type. */
  skip(tag: number, end: number): void {
    if (tag < 8) throw new OtlpDecodeError(`invalid field number 0 at byte ${this.pos}`);
    switch (tag & 7) {
      case 0:
        this.varint(end);
        return;
      case 1:
        if (this.pos + 8 > end) throw truncated(this.pos);
        this.pos += 8;
        return;
      case 2:
        this.pos = this.lengthEnd(end);
        return;
      case 5:
        if (this.pos + 4 > end) throw truncated(this.pos);
        this.pos += 4;
        return;
      default:
        throw new OtlpDecodeError(
          `unsupported wire type ${tag & 7} (field ${Math.floor(tag / 8)}) at byte ${this.pos}`,
        );
    }
  }

  /** Throws unless the message that was meant to end at `end` did. */
  expectEnd(end: number): void {
    if (this.pos !== end) {
      throw new OtlpDecodeError(`a field ran ${this.pos - end} byte(s) past its message's end`);
    }
  }
}

/** Where the last id of one field was read from, and its hex. */
export interface LastId {
  start: number;
  length: number;
  hex: string;
}

export const newLastId = (): LastId => ({ start: 0, length: -1, hex: '' });

function sameBytes(buf: Uint8Array, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (buf[a + i] !== buf[b + i]) return false;
  return true;
}

function truncated(pos: number): OtlpDecodeError {
  return new OtlpDecodeError(`truncated message: a field at byte ${pos} runs past its end`);
}

/**
 * The UTF-8 string of `buf[start, end)`. Bytes that are not UTF-8 throw the fatal TextDecoder's
 * TypeError (`isInvalidUtf8` tells it): proto3 says a string "must always contain UTF-8 encoded or
 * 7-bit ASCII text", and protobuf's own parsers refuse such a message. The decoder catches it once
 * for the whole body (`decodeProtobufTraceRequest`), keeping the try off the path of every string.
 * Short ASCII strings (attribute keys, methods, routes, span names: most strings of a span) are
 * built in JS; a native TextDecoder call costs more than the loop for them.
 */
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length <= 32) {
    for (let i = 0; i < length; i++) {
      const c = buf[start + i]!;
      if (c >= 0x80) return slowUtf8(buf, start, end);
      codes[i] = c;
    }
    codes.length = length;
    // One call, one flat string: built with `+=`, a string is a chain of fragments V8 keeps as
    // they are, ten times the memory the store counts for it (560 against 56 bytes for 30
    // characters), which let the process grow far past --max-bytes. Faster too (88 against
    // 102–148 ns for a span's usual strings, Node 20).
    return String.fromCharCode.apply(null, codes);
  }
  return slowUtf8(buf, start, end);
}

/** The character codes of the short string being decoded, reused. */
const codes: number[] = [];

function slowUtf8(buf: Uint8Array, start: number, end: number): string {
  utf8 ??= new TextDecoder('utf-8', { fatal: true });
  return utf8.decode(buf.subarray(start, end));
}

/** Whether an error is a fatal TextDecoder's, for bytes that are not UTF-8. */
export const isInvalidUtf8 = (error: unknown): boolean =>
  (error as { code?: unknown } | null)?.code === 'ERR_ENCODING_INVALID_ENCODED_DATA';
