import type { Attributes, StoredSpan } from '../model';
import { durationOf, parentIsRemote } from '../model';

export type SpanKindName =
  | 'unspecified'
  | 'internal'
  | 'server'
  | 'client'
  | 'producer'
  | 'consumer'
  /** A number OTLP does not define (the stored span keeps it). */
  | 'unknown';

/** `unknown` for a number OTLP does not define (the stored span keeps it). */
export type SpanStatusName = 'unset' | 'ok' | 'error' | 'unknown';

export interface SpanLog {
  /** Epoch ms. */
  timestamp: number;
  name: string;
  fields: Attributes;
}

/** A span as the HTTP API shows it (the README's `SpanView`). */
export interface SpanView {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  service: string;
  operation: string;
  kind: SpanKindName;
  /** Epoch ms. */
  startTime: number;
  /** ms. */
  duration: number;
  status: SpanStatusName;
  /** Present when the status carries a message. */
  statusMessage?: string;
  tags: Attributes;
  logs: SpanLog[];
  resource: Attributes;
  scope: { name: string; version?: string };
  /** Present when the span has links. */
  links?: SpanLinkView[];
  /** Present when the span carries a W3C `tracestate`. */
  traceState?: string;
  /** OTLP's span flags, present when the sender sent them (not 0); see `StoredSpan.flags`. */
  flags?: number;
  /**
   * Present when the span has a parent and its sender said whether that parent is in another
   * process (span flags bit 8): `true` for a span continuing a `traceparent` it received.
   */
  remoteParent?: boolean;
  /**
   * Present (`true`) in a trace's view when the span names a parent that is not among the trace's
   * spans: not received (yet), or never sent here.
   */
  parentMissing?: true;
  /** Present when the sender dropped attributes (span limits): how many. */
  droppedAttributesCount?: number;
  /** Present when the sender dropped events: how many. */
  droppedEventsCount?: number;
  /** Present when the sender dropped links: how many. */
  droppedLinksCount?: number;
}

/** A link of a span: the linked span's ids and the link's attributes. */
export interface SpanLinkView {
  traceId: string;
  spanId: string;
  fields: Attributes;
}

const KIND_NAMES: readonly SpanKindName[] = [
  'unspecified',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
];
const STATUS_NAMES: readonly SpanStatusName[] = ['unset', 'ok', 'error'];

/** OTLP's span kind number as the API's word: `unknown` for a number OTLP does not define. */
export const spanKindName = (kind: number): SpanKindName => KIND_NAMES[kind] ?? 'unknown';

/** OTLP's status code as the API's word: `unknown` for a number OTLP does not define. */
export const spanStatusName = (code: number): SpanStatusName => STATUS_NAMES[code] ?? 'unknown';

/**
 * The API's view of a stored span: kind and status as words, attributes as `tags`, events as
 * `logs`; links, the trace state, flags and dropped counts where the span has them. The view
 * shares attribute objects with the span (views are serialized, not mutated). `parentMissing`
 * needs the trace: `traceView` sets it.
 */
export function spanView(span: StoredSpan): SpanView {
  const remoteParent = parentIsRemote(span);
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId ?? null,
    service: span.service,
    operation: span.name,
    kind: spanKindName(span.kind),
    startTime: span.startTime,
    duration: durationOf(span),
    status: spanStatusName(span.status.code),
    ...(span.status.message ? { statusMessage: span.status.message } : undefined),
    tags: span.attributes,
    logs: span.events.map((event) => ({
      timestamp: event.time,
      name: event.name,
      fields: event.attributes,
    })),
    resource: span.resource,
    scope: span.scope,
    ...(span.links.length > 0
      ? {
          links: span.links.map((link) => ({
            traceId: link.traceId,
            spanId: link.spanId,
            fields: link.attributes,
          })),
        }
      : undefined),
    ...(span.traceState ? { traceState: span.traceState } : undefined),
    ...(span.flags ? { flags: span.flags } : undefined),
    ...(remoteParent === undefined ? undefined : { remoteParent }),
    ...(span.droppedAttributesCount
      ? { droppedAttributesCount: span.droppedAttributesCount }
      : undefined),
    ...(span.droppedEventsCount ? { droppedEventsCount: span.droppedEventsCount } : undefined),
    ...(span.droppedLinksCount ? { droppedLinksCount: span.droppedLinksCount } : undefined),
  };
}
