import { randomBytes } from 'node:crypto';
import type { Attributes, AttributeValue, StoredSpan } from '../model';
import { ALL_ZERO, SPAN_ID, TRACE_ID } from './hex-ids';
import { HttpError } from './json-http';

/**
 * Spans made through the HTTP API by clients without an OpenTelemetry SDK
 * (`POST /traces/start`, `/traces/span`, `/traces/span/finish`). A span that is still open lives
 * here; it reaches the store when it ends.
 */

const MAX_NAME = 1024;
/** Open spans kept at most; the oldest is dropped past it (a client that never finishes). */
const MAX_OPEN = 10_000;

export interface ManualSpanSink {
  /** Stores ended spans; resolves once they are as durable as OTLP-received ones. */
  ingest(spans: StoredSpan[]): Promise<void>;
  /** Whether a stored trace holds this span (a parent that already ended). */
  hasSpan(traceId: string, spanId: string): boolean;
  /** Whether a trace with this id is stored. */
  hasTrace(traceId: string): boolean;
}

const hexId = (bytes: number): string => {
  let id: string;
  do id = randomBytes(bytes).toString('hex');
  while (ALL_ZERO.test(id));
  return id;
};

const nowMs = (): number => performance.timeOrigin + performance.now();

function requiredName(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new HttpError(400, `${field} must be a non-empty string`);
  }
  if (value.length > MAX_NAME) throw new HttpError(400, `${field} is longer than ${MAX_NAME}`);
  return value;
}

function isAttributeValue(value: unknown): value is AttributeValue {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      return Array.isArray(value)
        ? value.every(isAttributeValue)
        : Object.values(value as object).every(isAttributeValue);
    default:
      return false;
  }
}

function tagsOf(body: Record<string, unknown>): Attributes {
  const tags = body.tags;
  if (tags === undefined || tags === null) return {};
  if (typeof tags !== 'object' || Array.isArray(tags)) {
    throw new HttpError(400, 'tags must be an object of string, number, boolean or array values');
  }
  for (const [key, value] of Object.entries(tags)) {
    if (!isAttributeValue(value)) throw new HttpError(400, `tag "${key}" has an unsupported value`);
  }
  return { ...(tags as Attributes) };
}

function statusOf(body: Record<string, unknown>): StoredSpan['status'] {
  const status = body.status;
  if (status === undefined || status === null) return { code: 0 };
  if (status === 'ok') return { code: 1 };
  if (status === 'error') return { code: 2 };
  throw new HttpError(400, `status must be "ok" or "error", got ${JSON.stringify(status)}`);
}

function idField(body: Record<string, unknown>, field: string, pattern: RegExp): string {
  const value = body[field];
  if (typeof value !== 'string' || !pattern.test(value) || ALL_ZERO.test(value)) {
    const digits = pattern === TRACE_ID ? 32 : 16;
    throw new HttpError(400, `${field} must be ${digits} lowercase hex digits, not all zero`);
  }
  return value;
}

export class ManualSpans {
  private readonly open = new Map<string, StoredSpan>();

  constructor(private readonly sink: ManualSpanSink) {}

  /** `POST /traces/start`: a new trace's root span, open until finished. */
  start(body: Record<string, unknown>): { traceId: string; spanId: string } {
    const span = this.make(hexId(16), undefined, body, nowMs());
    this.keepOpen(span);
    return { traceId: span.traceId, spanId: span.spanId };
  }

  /**
   * `POST /traces/span`: a child span. With `duration` (ms) it has just ended (it started
   * `duration` ago, not before its parent) and is stored at once; without, it stays open.
   */
  async child(body: Record<string, unknown>): Promise<{ spanId: string }> {
    const traceId = idField(body, 'traceId', TRACE_ID);
    const parentSpanId = idField(body, 'parentSpanId', SPAN_ID);
    const openParent = this.open.get(parentSpanId);
    const parentKnown = openParent?.traceId === traceId || this.sink.hasSpan(traceId, parentSpanId);
    if (!parentKnown) {
      const trace = this.sink.hasTrace(traceId) || this.openTrace(traceId);
      throw new HttpError(
        404,
        trace ? `no span ${parentSpanId} in trace ${traceId}` : `unknown trace ${traceId}`,
      );
    }
    const duration = body.duration;
    if (duration === undefined || duration === null) {
      const span = this.make(traceId, parentSpanId, body, nowMs());
      this.keepOpen(span);
      return { spanId: span.spanId };
    }
    if (typeof duration !== 'number' || !Number.isFinite(duration) || duration < 0) {
      throw new HttpError(400, 'duration must be a non-negative number of milliseconds');
    }
    const end = nowMs();
    const start = Math.max(end - duration, openParent?.startTime ?? Number.NEGATIVE_INFINITY);
    const span = this.make(traceId, parentSpanId, body, start);
    span.endTime = start + duration;
    await this.store(span);
    return { spanId: span.spanId };
  }

  /** `POST /traces/span/finish`: ends an open span now and stores it. */
  async finish(body: Record<string, unknown>): Promise<{ spanId: string; duration: number }> {
    const spanId = idField(body, 'spanId', SPAN_ID);
    const span = this.open.get(spanId);
    if (span === undefined) throw new HttpError(404, `no open span ${spanId}`);
    const status = statusOf(body);
    const { endTime, status: openStatus } = span;
    this.open.delete(spanId);
    span.endTime = Math.max(nowMs(), span.startTime);
    if (status.code !== 0) span.status = status;
    try {
      await this.store(span);
    } catch (error) {
      // Not stored (the store took it back out): still open, for the client to finish again.
      span.endTime = endTime;
      span.status = openStatus;
      this.open.set(spanId, span);
      throw error;
    }
    return { spanId, duration: span.endTime - span.startTime };
  }

  /**
   * Stores an ended span. When it cannot be written (`--data-dir` on a full disk), the store has
   * let go of it again: a 503, as the OTLP receiver answers, for the client to try again.
   */
  private async store(span: StoredSpan): Promise<void> {
    try {
      await this.sink.ingest([span]);
    } catch (error) {
      const reason = (error as Error)?.message ?? String(error);
      throw new HttpError(503, `the span could not be stored: ${reason}`);
    }
  }

  /** The open spans of a trace, as if they ended now (for views of a trace still in progress). */
  openSpansOf(traceId: string): StoredSpan[] {
    const now = nowMs();
    const spans: StoredSpan[] = [];
    for (const span of this.open.values()) {
      if (span.traceId === traceId) spans.push({ ...span, endTime: Math.max(now, span.startTime) });
    }
    return spans;
  }

  private openTrace(traceId: string): boolean {
    for (const span of this.open.values()) if (span.traceId === traceId) return true;
    return false;
  }

  private keepOpen(span: StoredSpan): void {
    if (this.open.size >= MAX_OPEN) {
      const oldest = this.open.keys().next().value;
      if (oldest !== undefined) this.open.delete(oldest);
    }
    this.open.set(span.spanId, span);
  }

  private make(
    traceId: string,
    parentSpanId: string | undefined,
    body: Record<string, unknown>,
    startTime: number,
  ): StoredSpan {
    const service = requiredName(body, 'serviceName');
    return {
      traceId,
      spanId: hexId(8),
      parentSpanId,
      name: requiredName(body, 'operationName'),
      kind: parentSpanId === undefined ? 2 : 1,
      startTime,
      endTime: startTime,
      status: statusOf(body),
      service,
      attributes: tagsOf(body),
      events: [],
      links: [],
      resource: { 'service.name': service },
      scope: { name: '@spanlite/devtools manual spans' },
    };
  }
}
