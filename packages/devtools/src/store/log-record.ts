import type { Attributes, SpanEvent, SpanLink, StoredSpan } from '../model';
import { crc32 } from './crc32';

/**
 * One append to the log: a batch of spans as one ingest call received them.
 *
 * Frame: `u32 LE payload length | u32 LE CRC-32 of the payload | payload`. The payload is UTF-8
 * JSON, `{ v: 1, t, n, r, c, s }`:
 * - `t`: the store's clock when the batch was ingested (replay runs the idle clock on it);
 * - `n`: indexes into `s` of the spans that started a new trace in the store;
 * - `r`, `c`: the batch's distinct resource and scope objects (by identity), so a resource is
 *   written once per batch and shared again between its spans on replay;
 * - `s`: one array per span, positional (see `SpanTuple`): no repeated key names. Fields added
 *   since come last and only when the span has them, so a record written before they existed
 *   (16 positions) reads as a span without them, and an older version reading a newer record
 *   ignores them.
 */
export interface LogRecord {
  at: number;
  spans: StoredSpan[];
  /** Indexes into `spans` of those that started a new trace. */
  newTraces: number[];
}

export const FRAME_HEADER_BYTES = 8;
/** A length above this is a torn or corrupt header, not a record. */
export const MAX_FRAME_BYTES = 1 << 30;
const VERSION = 1;

type SpanTuple = [
  traceId: string,
  spanId: string,
  parentSpanId: string | null,
  name: string,
  kind: StoredSpan['kind'],
  startTime: number,
  endTime: number,
  statusCode: StoredSpan['status']['code'],
  statusMessage: string | null,
  service: string,
  attributes: Attributes,
  events: SpanEvent[],
  links: SpanLink[],
  resource: number,
  scope: number,
  traceState: string | null,
  // Written when the span has flags or a dropped count (none in a log of before they were kept):
  flags?: number,
  // Written when it has a dropped count:
  droppedAttributesCount?: number,
  droppedEventsCount?: number,
  droppedLinksCount?: number,
];

export function encodeRecord(
  spans: readonly StoredSpan[],
  at: number,
  newTraces: readonly number[],
): Buffer {
  const resources: Attributes[] = [];
  const resourceIndex = new Map<Attributes, number>();
  const scopes: StoredSpan['scope'][] = [];
  const scopeIndex = new Map<StoredSpan['scope'], number>();
  const tuples = new Array<SpanTuple>(spans.length);
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    let r = resourceIndex.get(span.resource);
    if (r === undefined) {
      r = resources.push(span.resource) - 1;
      resourceIndex.set(span.resource, r);
    }
    let c = scopeIndex.get(span.scope);
    if (c === undefined) {
      c = scopes.push(span.scope) - 1;
      scopeIndex.set(span.scope, c);
    }
    tuples[i] = [
      span.traceId,
      span.spanId,
      span.parentSpanId ?? null,
      span.name,
      span.kind,
      span.startTime,
      span.endTime,
      span.status.code,
      span.status.message ?? null,
      span.service,
      span.attributes,
      span.events,
      span.links,
      r,
      c,
      span.traceState ?? null,
    ];
    appendCounts(tuples[i], span);
  }
  const json = JSON.stringify({
    v: VERSION,
    t: at,
    n: newTraces,
    r: resources,
    c: scopes,
    s: tuples,
  });
  const length = Buffer.byteLength(json);
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + length);
  frame.write(json, FRAME_HEADER_BYTES, length, 'utf8');
  frame.writeUInt32LE(length, 0);
  frame.writeUInt32LE(crc32(frame.subarray(FRAME_HEADER_BYTES)), 4);
  return frame;
}

/** The trailing positions of a span's tuple: its flags, then its dropped counts, as far as needed. */
function appendCounts(tuple: SpanTuple, span: StoredSpan): void {
  const attributes = span.droppedAttributesCount ?? 0;
  const events = span.droppedEventsCount ?? 0;
  const links = span.droppedLinksCount ?? 0;
  const dropped = attributes !== 0 || events !== 0 || links !== 0;
  if (span.flags === undefined && !dropped) return;
  tuple.push(span.flags ?? 0);
  if (dropped) tuple.push(attributes, events, links);
}

function fromTuple(
  tuple: SpanTuple,
  resources: Attributes[],
  scopes: StoredSpan['scope'][],
): StoredSpan {
  const span: StoredSpan = {
    traceId: tuple[0],
    spanId: tuple[1],
    parentSpanId: tuple[2] ?? undefined,
    name: tuple[3],
    kind: tuple[4],
    startTime: tuple[5],
    endTime: tuple[6],
    status: tuple[8] === null ? { code: tuple[7] } : { code: tuple[7], message: tuple[8] },
    service: tuple[9],
    attributes: tuple[10],
    events: tuple[11],
    links: tuple[12],
    resource: resources[tuple[13]],
    scope: scopes[tuple[14]],
    // 0 or absent (a record of before they were kept) is none, as the decoders keep it.
    flags: tuple[16] || undefined,
    droppedAttributesCount: tuple[17] || undefined,
    droppedEventsCount: tuple[18] || undefined,
    droppedLinksCount: tuple[19] || undefined,
  };
  if (tuple[15] !== null) span.traceState = tuple[15];
  return span;
}

function decodePayload(payload: Buffer): LogRecord | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  const body = parsed as {
    v?: unknown;
    t?: unknown;
    n?: unknown;
    r?: unknown;
    c?: unknown;
    s?: unknown;
  };
  if (
    body === null ||
    typeof body !== 'object' ||
    body.v !== VERSION ||
    typeof body.t !== 'number' ||
    !Array.isArray(body.n) ||
    !Array.isArray(body.r) ||
    !Array.isArray(body.c) ||
    !Array.isArray(body.s)
  ) {
    return undefined;
  }
  const resources = body.r as Attributes[];
  const scopes = body.c as StoredSpan['scope'][];
  const tuples = body.s as SpanTuple[];
  const spans = new Array<StoredSpan>(tuples.length);
  for (let i = 0; i < tuples.length; i++) spans[i] = fromTuple(tuples[i], resources, scopes);
  return { at: body.t, spans, newTraces: body.n as number[] };
}

export interface FrameScan {
  /** Bytes of whole, valid frames from the start; what follows is torn or corrupt. */
  validLength: number;
  /** Some bytes after `validLength` were not a valid frame. */
  corrupt: boolean;
}

/**
 * Reads the frames of one segment in order, handing each record to `onRecord`, and stops at the
 * first frame that is cut short, fails its CRC or does not decode.
 */
export function scanFrames(buffer: Buffer, onRecord: (record: LogRecord) => void): FrameScan {
  let offset = 0;
  while (offset < buffer.length) {
    if (buffer.length - offset < FRAME_HEADER_BYTES) break;
    const length = buffer.readUInt32LE(offset);
    const end = offset + FRAME_HEADER_BYTES + length;
    if (length === 0 || length > MAX_FRAME_BYTES || end > buffer.length) break;
    const payload = buffer.subarray(offset + FRAME_HEADER_BYTES, end);
    if (crc32(payload) !== buffer.readUInt32LE(offset + 4)) break;
    const record = decodePayload(payload);
    if (record === undefined) break;
    onRecord(record);
    offset = end;
  }
  return { validLength: offset, corrupt: offset < buffer.length };
}
