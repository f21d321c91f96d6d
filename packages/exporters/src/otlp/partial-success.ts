/** What an OTLP backend said it could not accept from a request it otherwise took. */
export interface PartialSuccess {
  readonly rejectedSpans: number;
  readonly errorMessage: string;
}

/**
 * Reads `ExportTraceServiceResponse.partial_success` from a response body in either encoding.
 * Undefined when there is none, or when the body cannot be read (a body the backend sent with a
 * 2xx status is not worth failing an export over).
 */
export function readPartialSuccess(
  body: Uint8Array,
  contentType: string | null,
): PartialSuccess | undefined {
  if (body.length === 0) return undefined;
  try {
    return contentType?.includes('json') ? fromJson(body) : fromProtobuf(body);
  } catch {
    return undefined;
  }
}

function fromJson(body: Uint8Array): PartialSuccess | undefined {
  const parsed = JSON.parse(new TextDecoder().decode(body)) as {
    partialSuccess?: { rejectedSpans?: string | number; errorMessage?: string };
  };
  const partial = parsed?.partialSuccess;
  if (typeof partial !== 'object' || partial === null) return undefined;
  return normalize(Number(partial.rejectedSpans ?? 0), String(partial.errorMessage ?? ''));
}

function fromProtobuf(body: Uint8Array): PartialSuccess | undefined {
  const reader = new Reader(body);
  let found: PartialSuccess | undefined;
  while (reader._pos < body.length) {
    const tag = reader._varint();
    if (tag === 0x0a) {
      const end = reader._length();
      let rejected = 0;
      let message = '';
      while (reader._pos < end) {
        const inner = reader._varint();
        if (inner === 0x08) rejected = reader._varint();
        else if (inner === 0x12) message = reader._string();
        else reader._skip(inner & 7);
      }
      found = normalize(rejected, message);
    } else reader._skip(tag & 7);
  }
  return found;
}

/**
 * The message of a `google.rpc.Status`, which an OTLP backend sends with a 400 ("The server MUST
 * use the Status message ... to describe the error"), in either encoding; undefined when the body
 * is none (an HTML page, say) or cannot be read. Made fit for a log line.
 */
export function readStatusMessage(
  body: Uint8Array,
  contentType: string | null,
): string | undefined {
  try {
    let message: unknown;
    if (contentType?.includes('json')) {
      message = (JSON.parse(new TextDecoder().decode(body)) as { message?: unknown })?.message;
    } else if (contentType?.includes('protobuf')) {
      const reader = new Reader(body);
      while (reader._pos < body.length) {
        const tag = reader._varint();
        if (tag === 0x12)
          message = reader._string(); // Status.message = 2
        else reader._skip(tag & 7);
      }
    }
    return typeof message === 'string' && message !== '' ? loggable(message) : undefined;
  } catch {
    return undefined;
  }
}

/** What a log line must not hold as it is: see `loggable`. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: those are the ones replaced
const UNLOGGABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * The backend's message as it may go into a log line: control characters (a line break, a
 * terminal escape, with which a backend could forge log lines), line and paragraph separators
 * and bidirectional overrides as spaces, and cut to 512 characters (not inside a surrogate pair).
 */
function loggable(message: string): string {
  const text = message.replace(UNLOGGABLE, ' ');
  if (text.length <= 512) return text;
  const end = (text.charCodeAt(511) & 0xfc00) === 0xd800 ? 511 : 512;
  return `${text.slice(0, end)}…`;
}

function normalize(rejected: number, message: string): PartialSuccess | undefined {
  const rejectedSpans = Number.isFinite(rejected) && rejected > 0 ? rejected : 0;
  if (rejectedSpans === 0 && message === '') return undefined;
  return { rejectedSpans, errorMessage: loggable(message) };
}

class Reader {
  _pos = 0;
  constructor(private readonly _bytes: Uint8Array) {}

  /** A varint as a number (exact up to 2^53, which rejected counts never approach). */
  _varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this._pos >= this._bytes.length) throw new RangeError('truncated varint');
      const byte = this._bytes[this._pos++]!;
      result += (byte & 127) * scale;
      if (byte < 128) return result;
      scale *= 128;
    }
    throw new RangeError('varint too long');
  }

  _length(): number {
    const length = this._varint();
    const end = this._pos + length;
    if (end > this._bytes.length) throw new RangeError('truncated field');
    return end;
  }

  /** A length-delimited UTF-8 string. */
  _string(): string {
    const stop = this._length();
    const text = new TextDecoder().decode(this._bytes.subarray(this._pos, stop));
    this._pos = stop;
    return text;
  }

  _skip(wireType: number): void {
    if (wireType === 0) this._varint();
    else if (wireType === 1) this._pos += 8;
    else if (wireType === 2) this._pos = this._length();
    else if (wireType === 5) this._pos += 4;
    else throw new RangeError(`unsupported wire type ${wireType}`);
    if (this._pos > this._bytes.length) throw new RangeError('truncated field');
  }
}
