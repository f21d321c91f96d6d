/**
 * trace.proto, Span.flags: "Bits 8 and 9 represent the 3 states of whether a span's parent is
 * remote. The states are (unknown, is not remote, is remote)." A 1.x `ReadableSpan` names its
 * parent by `parentSpanId` alone: whether that parent was remote is unknown, and is sent so.
 */
import { ROOT_CONTEXT, type SpanContext, SpanKind, trace } from '@opentelemetry/api';
import {
  type ExportResult,
  ExportResultCode,
  type FinishedSpan,
  TracerProvider,
} from '@spanlite/core';
import { describe, expect, it } from 'vitest';
import {
  type ReadableSpanLike,
  toSdkTraceBaseExporter,
} from '../src/interop/sdk-trace-base-adapter';
import { OtlpTraceExporter } from '../src/otlp/otlp-trace-exporter';
import { decodeProtobufRequest } from './fixtures/decode-otlp';
import { fakeClock, scriptedFetch, status } from './fixtures/fake-transport';
import { finishedSpan, hexId } from './fixtures/finished-spans';
import { LEGACY_TRACE_ID, legacySpan } from './fixtures/legacy-span';

const TRACE_ID = LEGACY_TRACE_ID;

/** Spans recorded by core: a server span under a remote parent, and its local child. */
function coreSpans(): FinishedSpan[] {
  const ended: FinishedSpan[] = [];
  const provider = new TracerProvider({
    env: {},
    spanProcessors: [
      {
        onStart() {},
        onEnd: (span: FinishedSpan) => void ended.push(span),
        forceFlush: async () => {},
        shutdown: async () => {},
      },
    ],
  });
  const tracer = provider.getTracer('core');
  const remote = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: TRACE_ID,
    spanId: hexId(8),
    traceFlags: 1,
    isRemote: true,
  });
  const server = tracer.startSpan('server', { kind: SpanKind.SERVER }, remote);
  tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, server)).end();
  server.end();
  return ended;
}

/** The flags of every span (by name) and of every link (by its span id) of a request body. */
function flagsOf(body: Uint8Array, protocol: 'http/protobuf' | 'http/json') {
  const request =
    protocol === 'http/json'
      ? JSON.parse(new TextDecoder().decode(body))
      : decodeProtobufRequest(body);
  const spans: Record<string, number> = {};
  const links: Record<string, number> = {};
  for (const rs of request.resourceSpans)
    for (const ss of rs.scopeSpans)
      for (const span of ss.spans) {
        spans[span.name] = span.flags ?? 0;
        for (const link of span.links ?? []) {
          const id =
            protocol === 'http/json'
              ? link.spanId
              : link.spanId.map((b: number) => b.toString(16).padStart(2, '0')).join('');
          links[id] = link.flags ?? 0;
        }
      }
  return { spans, links };
}

describe('toSdkTraceBaseExporter and Span.flags bits 8 and 9 (is the parent remote)', () => {
  it.each(['http/protobuf', 'http/json'] as const)(
    '%s: unknown for a 1.x span with a parent; kept for roots, 2.x spans, core spans and links',
    async (protocol) => {
      const { fetch, requests } = scriptedFetch([status(200)]);
      const adapter = toSdkTraceBaseExporter(
        new OtlpTraceExporter({
          env: {},
          protocol,
          transportHooks: { ...fakeClock().hooks, fetch },
        }),
      );
      const linked = (isRemote: boolean | undefined): SpanContext => ({
        traceId: hexId(16),
        spanId: hexId(8),
        traceFlags: 1,
        ...(isRemote === undefined ? {} : { isRemote }),
      });
      const links = [linked(true), linked(false), linked(undefined)];
      const named = (name: string, span: FinishedSpan | ReadableSpanLike) =>
        Object.assign(Object.create(span), { name }) as ReadableSpanLike;
      const spans: ReadableSpanLike[] = [
        named(
          '1.x child',
          legacySpan(hexId(8), {
            parentSpanId: hexId(8),
            links: links.map((context) => ({ context })),
          }),
        ),
        named(
          '1.x child, unsampled',
          legacySpan(hexId(8), { parentSpanId: hexId(8), traceFlags: 0 }),
        ),
        named('1.x root', legacySpan(hexId(8))),
        finishedSpan({ name: '2.x remote parent', parent: linked(true) }),
        finishedSpan({ name: '2.x local parent', parent: linked(false) }),
        // @opentelemetry/sdk-trace-base 2.x: a local parent's context has no isRemote
        finishedSpan({ name: '2.x parent without isRemote', parent: linked(undefined) }),
        ...coreSpans(),
      ];
      const result = await new Promise<ExportResult>((resolve) => adapter.export(spans, resolve));
      expect(result).toEqual({ code: ExportResultCode.SUCCESS });
      expect(requests).toHaveLength(1);
      const flags = flagsOf(requests[0]!.body, protocol);
      expect(flags.spans).toEqual({
        '1.x child': 0x001,
        '1.x child, unsampled': 0x000,
        '1.x root': 0x101,
        '2.x remote parent': 0x301,
        '2.x local parent': 0x101,
        '2.x parent without isRemote': 0x101,
        server: 0x301,
        child: 0x101,
      });
      // A link's context is the one the application gave, under 1.x as under 2.x.
      expect(links.map((link) => flags.links[link.spanId])).toEqual([0x301, 0x101, 0x101]);
    },
  );

  it("prefers the 2.x fields when a span has the 1.x names too (core's spans have both)", () => {
    let got: FinishedSpan[] = [];
    const adapter = toSdkTraceBaseExporter({
      export(spans, done) {
        got = spans;
        done({ code: ExportResultCode.SUCCESS });
      },
      shutdown: async () => {},
    });
    const [server, child] = coreSpans().reverse() as [FinishedSpan, FinishedSpan];
    const parent = { traceId: TRACE_ID, spanId: hexId(8), traceFlags: 1, isRemote: true };
    const both = Object.assign(finishedSpan({ name: 'both', parent }), {
      parentSpanId: hexId(8),
      instrumentationLibrary: { name: 'library' },
    });
    adapter.export([server, child, both], () => {});
    // passed on as they are, not viewed through a copy
    expect(got[0]).toBe(server);
    expect(got[1]).toBe(child);
    expect(got[2]).toBe(both);
    expect(got[2]!.parentSpanContext).toBe(parent);
    expect(got[2]!.instrumentationScope.name).toBe('@acme/http');
  });

  it('fails the batch through its callback, without throwing, when a 1.x span cannot be read', () => {
    const exported: FinishedSpan[][] = [];
    const adapter = toSdkTraceBaseExporter({
      export(spans, done) {
        exported.push(spans);
        done({ code: ExportResultCode.SUCCESS });
      },
      shutdown: async () => {},
    });
    const unreadable = {
      ...legacySpan(hexId(8)),
      spanContext: (): SpanContext => {
        throw new Error('no context');
      },
    };
    const results: ExportResult[] = [];
    expect(() => adapter.export([unreadable], (result) => results.push(result))).not.toThrow();
    expect(results).toEqual([{ code: ExportResultCode.FAILED, error: new Error('no context') }]);
    expect(exported).toEqual([]);
  });
});
