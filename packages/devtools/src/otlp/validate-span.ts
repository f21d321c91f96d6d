import type { StoredSpan } from '../model';
import type { UncheckedSpan } from './unchecked-span';

const LOWER_HEX = /^[0-9a-f]+$/;
const ZERO_HEX = /^0+$/;

/** An all-zero span id: what several exporters send as a root span's parent. */
const ZERO_SPAN_ID = '0000000000000000';

/**
 * A decoded `parent_span_id` as the model keeps it: undefined for none. An empty or an all-zero
 * (8 zero bytes) parent id means no parent, as in the Collector (whose pdata `SpanID` of zeros is
 * "empty"); any other value is left for validation to judge.
 */
export const parentIdOf = (hex: string): string | undefined =>
  hex === '' || hex === ZERO_SPAN_ID ? undefined : hex;

/**
 * Why a decoded span cannot be kept, or undefined when it can: ids of the right size and not all
 * zero, a start and an end time with the end not before the start, a kind and a status code that
 * are int32s (a number OTLP does not define is kept as it is: protobuf enums are open, and the
 * Collector keeps one too), a string name. `validTraceId`, when given, is a trace id already found valid: the
 * spans of a batch come trace by trace, so most trace ids are compared with it (the protobuf decoder
 * hands the same string again for a repeated id, which makes that a pointer comparison) instead of
 * being checked digit by digit again.
 */
export function spanProblem(span: UncheckedSpan, validTraceId?: string): string | undefined {
  const parent = span.parentSpanId;
  const idsValid =
    (span.traceId === validTraceId || isValidId(span.traceId, 32)) &&
    isValidId(span.spanId, 16) &&
    (parent === undefined || isValidId(parent, 16));
  if (!idsValid) {
    return (
      idProblemOf('trace id', span.traceId, 16) ??
      idProblemOf('span id', span.spanId, 8) ??
      idProblemOf('parent span id', parent!, 8)
    );
  }
  if (typeof span.name !== 'string') return `span ${span.spanId}: its name is not a string`;
  const links = span.links;
  for (let i = 0; i < links.length; i++) {
    // a link may name an all-zero context (the SDK specification keeps such links when they carry
    // attributes), but its ids are 16 and 8 bytes like any
    const { traceId, spanId } = links[i]!;
    if (!isHex(traceId, 32) || !isHex(spanId, 16)) {
      return `span ${span.spanId}: link ${i} has ids that are not 16 and 8 bytes (${quote(traceId)}, ${quote(spanId)})`;
    }
  }
  const { startTime, endTime } = span;
  if (startTime > 0 && endTime >= startTime && isInt32(span.kind) && isInt32(span.status.code)) {
    return undefined;
  }
  // Only a rejected span pays for its message.
  const which = `span ${span.spanId} (${quote(span.name)})`;
  if (!(startTime > 0)) return `${which} ${timeProblem('start', startTime)}`;
  if (!(endTime > 0)) return `${which} ${timeProblem('end', endTime)}`;
  if (endTime < startTime) return `${which} ends before it starts`;
  if (!isInt32(span.kind)) {
    return `${which} has kind ${describe(span.kind)}, not a SpanKind name or an int32`;
  }
  return `${which} has status code ${describe(span.status.code)}, not a StatusCode name or an int32`;
}

/** A time that is not after 0: absent (0), or not a uint64 (NaN, from OTLP/JSON). */
const timeProblem = (which: 'start' | 'end', time: number): string =>
  Number.isNaN(time)
    ? `has ${which === 'start' ? 'a start' : 'an end'} time that is not a uint64 number of nanoseconds`
    : `has no ${which} time`;

/** `digits` lowercase hex digits. */
function isHex(hex: string, digits: number): boolean {
  return hex.length === digits && LOWER_HEX.test(hex);
}

/** `digits` lowercase hex digits, not all zero. */
function isValidId(hex: string, digits: number): boolean {
  if (hex.length !== digits) return false;
  let nonZero = false;
  for (let i = 0; i < digits; i++) {
    const c = hex.charCodeAt(i);
    if (c === 0x30) continue;
    if (!((c > 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
    nonZero = true;
  }
  return nonZero;
}

function idProblemOf(what: string, hex: string, bytes: number): string | undefined {
  if (hex === '') return `a span has no ${what}`;
  if (hex.length !== bytes * 2 || !LOWER_HEX.test(hex)) {
    return `a span's ${what} ${quote(hex)} is not ${bytes} bytes (${bytes * 2} hex digits)`;
  }
  if (ZERO_HEX.test(hex)) return `a span's ${what} is all zeros`;
  return undefined;
}

/** An enum's number, as protobuf's enums are: any int32. */
const isInt32 = (value: unknown): boolean => typeof value === 'number' && (value | 0) === value;

const describe = (value: unknown): string =>
  typeof value === 'string' ? quote(value) : String(value);

/** A string for a message, quoted and cut to a readable length. */
function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/** What validation keeps of a request's spans. */
export interface ValidatedSpans {
  spans: StoredSpan[];
  rejected: number;
  /** The first rejected span's problem. */
  firstProblem: string | undefined;
}

/** Keeps the valid spans; counts the others and remembers the first one's problem. */
export function validateSpans(decoded: readonly UncheckedSpan[]): ValidatedSpans {
  const spans: StoredSpan[] = [];
  let rejected = 0;
  let firstProblem: string | undefined;
  // The trace id of the last span kept (never equal to a string before one is).
  let validTraceId: string | undefined;
  for (let i = 0; i < decoded.length; i++) {
    const span = decoded[i]!;
    const problem = spanProblem(span, validTraceId);
    if (problem === undefined) {
      validTraceId = span.traceId;
      // Checked above: name is a string, kind and status code int32s.
      spans.push(span as StoredSpan);
    } else {
      rejected++;
      firstProblem ??= problem;
    }
  }
  return { spans, rejected, firstProblem };
}
