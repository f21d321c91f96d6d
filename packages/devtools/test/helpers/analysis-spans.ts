import type { StoredSpan } from '../../src/model';

export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

export interface SpanSpec {
  id: string;
  parent?: string;
  start: number;
  end: number;
  service?: string;
  name?: string;
  error?: boolean;
  /** OTLP span flags: `REMOTE_PARENT` marks a span continuing a remote parent. */
  flags?: number;
}

/** Span flags of a sampled span whose parent is known to be remote. */
export const REMOTE_PARENT = 0x301;
/** Span flags of a sampled span whose parent is known to be local. */
export const LOCAL_PARENT = 0x101;

/** A stored span with readable ids: the analysis treats ids as opaque strings. */
export function span(spec: SpanSpec): StoredSpan {
  return {
    traceId: TRACE_ID,
    spanId: spec.id,
    parentSpanId: spec.parent,
    name: spec.name ?? spec.id,
    kind: 1,
    startTime: spec.start,
    endTime: spec.end,
    status: { code: spec.error ? 2 : 0 },
    service: spec.service ?? 'app',
    attributes: {},
    events: [],
    links: [],
    resource: { 'service.name': spec.service ?? 'app' },
    scope: { name: 'test' },
    flags: spec.flags,
  };
}

/**
 * `depth` spans, each the parent of the next (`s0` the root), each starting one unit after its
 * parent and ending one unit before it: deeper than the call stack allows recursion over.
 */
export function nestedChain(depth: number): StoredSpan[] {
  return Array.from({ length: depth }, (_, i) =>
    span({
      id: `s${i}`,
      parent: i === 0 ? undefined : `s${i - 1}`,
      start: i,
      end: 2 * depth - i,
    }),
  );
}
