/**
 * OTLP request bodies for the server tests, from a short description of each span (epoch-ms
 * times, plain attribute values), written by the independent encoders of test/fixtures.
 */
import { gzipSync } from 'node:zlib';
import { type BatchSpec, jsonBody, protobufBody, type TypedValue } from '../fixtures/span-spec';

export interface SimpleSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  service: string;
  name: string;
  /** OTLP kind number; default 1 (internal). */
  kind?: number;
  /** Epoch ms, may be fractional. */
  start: number;
  end: number;
  status?: { code: number; message?: string };
  attributes?: Record<string, string | number | boolean>;
  events?: { at: number; name: string; attributes?: Record<string, string | number | boolean> }[];
  /** OTLP span flags (`0x301`: sampled, parent known to be remote). */
  flags?: number;
  droppedAttributesCount?: number;
  droppedEventsCount?: number;
  droppedLinksCount?: number;
}

/** Epoch ms to Unix nanoseconds, exactly for ms with up to six decimals. */
export function msToNanos(ms: number): bigint {
  const whole = Math.floor(ms);
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6));
}

function typed(value: string | number | boolean): TypedValue {
  if (typeof value === 'string') return { string: value };
  if (typeof value === 'boolean') return { bool: value };
  return Number.isInteger(value) ? { int: value } : { double: value };
}

const typedList = (attributes: Record<string, string | number | boolean> = {}) =>
  Object.entries(attributes).map(([key, value]): [string, TypedValue] => [key, typed(value)]);

/** One resource per service (in first-seen order), one scope each. */
export function batchOf(spans: readonly SimpleSpan[]): BatchSpec {
  const byService = new Map<string, SimpleSpan[]>();
  for (const span of spans) {
    const list = byService.get(span.service) ?? [];
    list.push(span);
    byService.set(span.service, list);
  }
  return {
    resources: [...byService].map(([service, list]) => ({
      attributes: [['service.name', { string: service }]],
      scopes: [
        {
          name: '@spanlite/devtools-test',
          version: '1.0.0',
          spans: list.map((span) => ({
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId,
            name: span.name,
            kind: span.kind ?? 1,
            start: msToNanos(span.start),
            end: msToNanos(span.end),
            attributes: typedList(span.attributes),
            events: (span.events ?? []).map((event) => ({
              time: msToNanos(event.at),
              name: event.name,
              attributes: typedList(event.attributes),
            })),
            links: [],
            status: span.status,
            flags: span.flags,
            droppedAttributesCount: span.droppedAttributesCount,
            droppedEventsCount: span.droppedEventsCount,
            droppedLinksCount: span.droppedLinksCount,
          })),
        },
      ],
    })),
  };
}

export type OtlpEncoding = 'json' | 'protobuf' | 'json+gzip' | 'protobuf+gzip';

/** A `POST /v1/traces` request's body and headers. */
export function otlpRequest(
  spans: readonly SimpleSpan[],
  encoding: OtlpEncoding = 'json',
): { body: Uint8Array<ArrayBuffer>; headers: Record<string, string> } {
  const batch = batchOf(spans);
  const json = encoding.startsWith('json');
  const raw = json ? jsonBody(batch) : protobufBody(batch);
  const gzip = encoding.endsWith('+gzip');
  return {
    body: new Uint8Array(gzip ? gzipSync(raw) : raw),
    headers: {
      'content-type': json ? 'application/json' : 'application/x-protobuf',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    },
  };
}

/** A hex id of `digits` digits from a number, never all zero. */
export const hexId = (n: number, digits: number): string =>
  (n + 1).toString(16).padStart(digits, '0');
