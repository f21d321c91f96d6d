/**
 * Behaviour the OpenTelemetry Trace API and SDK specifications require of spans, tracers and the
 * tracer provider, one clause per test (specification/trace/api.md, trace/sdk.md and
 * common/README.md).
 */
import {
  type Context,
  createTraceState,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { captureDiag, createTestProvider } from '../../test/helpers/test-provider';
import type { FinishedSpan } from '../export/finished-span';
import { ExportResultCode, type SpanExporter } from '../export/span-exporter';
import { BatchSpanProcessor } from '../processors/batch-span-processor';
import { SimpleSpanProcessor } from '../processors/simple-span-processor';
import type { Sampler, SamplingResult } from '../samplers/sampler';
import { SamplingDecision } from '../samplers/sampler';

let capture: ReturnType<typeof captureDiag> | undefined;
afterEach(() => {
  capture?.restore();
  capture = undefined;
});

const REMOTE_PARENT = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
};

/** A sampler that remembers what it was asked and answers `result`. */
function recordingSampler(result: SamplingResult) {
  const calls: Array<{ context: Context; traceId: string }> = [];
  const sampler: Sampler = {
    shouldSample(context, traceId) {
      calls.push({ context, traceId });
      return result;
    },
    toString: () => 'Recording',
  };
  return { sampler, calls };
}

describe('attributes (spec common/README.md "Attribute" and "Attribute Limits")', () => {
  it('an empty key is invalid; setting an existing key overwrites its value', () => {
    capture = captureDiag();
    const { tracer, spans } = createTestProvider();
    const span = tracer.startSpan('s', { attributes: { a: 1 } });
    span.setAttribute('', 'x');
    span.setAttribute('a', 2);
    span.setAttributes({ a: 3, b: 'b' });
    span.end();
    expect(spans[0]!.attributes).toEqual({ a: 3, b: 'b' });
    expect(capture.text()).toMatch(/invalid attribute key/);
  });

  it('past the count limit new keys are dropped and counted, existing keys still change', () => {
    const { tracer, spans } = createTestProvider({ spanLimits: { attributeCountLimit: 2 } });
    const span = tracer.startSpan('s', { attributes: { a: 1, b: 2, c: 3 } });
    span.setAttribute('d', 4);
    span.setAttribute('a', 10);
    span.end();
    expect(spans[0]!.attributes).toEqual({ a: 10, b: 2 });
    expect(spans[0]!.droppedAttributesCount).toBe(2);
  });

  it('the value length limit cuts strings and byte arrays, in arrays and maps recursively', () => {
    const { tracer, spans } = createTestProvider({ spanLimits: { attributeValueLengthLimit: 3 } });
    const span = tracer.startSpan('s', { attributes: { s: 'abcdef', n: 123456, b: true } });
    span.setAttribute('arr', ['abcdef', 'ab']);
    span.setAttribute('nums', [123456]);
    span.setAttribute('bytes', new Uint8Array([1, 2, 3, 4, 5]) as never);
    span.setAttribute('map', { deep: { s: 'abcdef', list: ['abcdef', 7] } } as never);
    span.end();
    expect(spans[0]!.attributes).toEqual({
      s: 'abc',
      n: 123456,
      b: true,
      arr: ['abc', 'ab'],
      nums: [123456],
      bytes: new Uint8Array([1, 2, 3]),
      map: { deep: { s: 'abc', list: ['abc', 7] } },
    });
  });

  it('empty strings, zero, empty arrays and the empty value (null) are meaningful and kept', () => {
    const { tracer, spans } = createTestProvider();
    const span = tracer.startSpan('s', { attributes: { start: null } as never });
    span.setAttributes({ s: '', n: 0, a: [], m: {} } as never);
    span.setAttribute('e', null as never);
    // undefined is no value: instrumentations use it for an attribute they do not have
    span.setAttributes({ u: undefined });
    span.end();
    expect(spans[0]!.attributes).toEqual({ start: null, s: '', n: 0, a: [], m: {}, e: null });
  });

  it('values are any AnyValue: maps, arrays of mixed types, byte arrays, null in arrays', () => {
    const { tracer, spans } = createTestProvider();
    const span = tracer.startSpan('s');
    const user = { id: 7, plan: 'pro', tags: ['a', null, 'b'], verified: true, raw: undefined };
    span.setAttribute('user', user as never);
    span.setAttribute('mixed', ['a', 1, false, null, [2, 'x'], { k: 'v' }] as never);
    span.setAttribute('payload', new Uint8Array([104, 105]) as never);
    span.end();
    expect(spans[0]!.attributes).toEqual({
      user: { id: 7, plan: 'pro', tags: ['a', null, 'b'], verified: true },
      mixed: ['a', 1, false, null, [2, 'x'], { k: 'v' }],
      payload: new Uint8Array([104, 105]),
    });
  });

  it('a value of shared parts is bounded: at most 10,000 arrays and maps, so [v, v] nested 40 deep is dropped at once', () => {
    capture = captureDiag();
    const { tracer, spans } = createTestProvider();
    let bomb: unknown = [1];
    for (let i = 0; i < 40; i++) bomb = [bomb, bomb];
    const rows = Array.from({ length: 5000 }, (_, i) => ({ i }));
    const span = tracer.startSpan('s');
    span.setAttribute('bomb', bomb as never);
    span.setAttribute('rows', rows as never);
    span.end();
    expect(Object.keys(spans[0]!.attributes)).toEqual(['rows']);
    expect(capture.text()).toContain('"bomb"');
  });

  it('a stored value is a copy: changing the object afterwards does not change the span', () => {
    const { tracer, spans } = createTestProvider();
    const span = tracer.startSpan('s');
    const map = { list: [1, 2], nested: { a: 'a' } };
    const bytes = new Uint8Array([1, 2]);
    span.setAttributes({ map, bytes } as never);
    map.list.push(3);
    map.nested.a = 'changed';
    bytes[0] = 9;
    span.end();
    expect(spans[0]!.attributes).toEqual({
      map: { list: [1, 2], nested: { a: 'a' } },
      bytes: new Uint8Array([1, 2]),
    });
  });

  it('values outside AnyValue are dropped with a warning and never throw: class instances, cycles, bigint, throwing getters, nesting past the stack', () => {
    capture = captureDiag();
    const { tracer, spans } = createTestProvider();
    const span = tracer.startSpan('s');
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    const shared = { x: 1 };
    let deep: unknown = 'leaf';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const throwing = {
      get boom(): string {
        throw new Error('getter');
      },
    };
    const values: Record<string, unknown> = {
      date: new Date(0),
      map: new Map([['a', 1]]),
      error: new Error('e'),
      words: new Uint16Array(2),
      big: 1n,
      fn: () => 1,
      cycle,
      inArray: [1, new Date(0)],
      throwing,
      deep,
      shared: { a: shared, b: shared },
    };
    for (const [key, value] of Object.entries(values)) span.setAttribute(key, value as never);
    span.setAttributes(values as never);
    span.end();
    // a value referenced twice without a cycle is a valid map
    expect(spans[0]!.attributes).toEqual({ shared: { a: { x: 1 }, b: { x: 1 } } });
    for (const key of ['date', 'map', 'cycle', 'throwing', 'deep']) {
      expect(capture.text()).toContain(`"${key}"`);
    }
  });
});

describe('events and links (spec trace/sdk.md "Span Limits")', () => {
  // The clause is a MAY and does not say which element goes; this SDK drops the oldest (as the
  // reference SDK does, and as its README documents), so only the bound and the count are checked.
  it('keeps at most EventCountLimit events and counts the discarded ones', () => {
    const { tracer, spans } = createTestProvider({ spanLimits: { eventCountLimit: 2 } });
    const span = tracer.startSpan('s');
    for (const name of ['one', 'two', 'three']) span.addEvent(name);
    span.end();
    expect(spans[0]!.events).toHaveLength(2);
    expect(spans[0]!.droppedEventsCount).toBe(1);
  });

  it('keeps at most LinkCountLimit links and counts the discarded ones', () => {
    const { tracer, spans } = createTestProvider({ spanLimits: { linkCountLimit: 1 } });
    const first = { ...REMOTE_PARENT, spanId: '1111111111111111' };
    const second = { ...REMOTE_PARENT, spanId: '2222222222222222' };
    const span = tracer.startSpan('s', { links: [{ context: first }] });
    span.addLink({ context: second });
    span.end();
    expect(spans[0]!.links).toHaveLength(1);
    expect(spans[0]!.droppedLinksCount).toBe(1);
  });

  it('limits attributes per event and per link, counting each one’s dropped attributes', () => {
    const { tracer, spans } = createTestProvider({
      spanLimits: { attributePerEventCountLimit: 1, attributePerLinkCountLimit: 2 },
    });
    const span = tracer.startSpan('s');
    span.addEvent('e', { a: 1, b: 2, c: 3 });
    span.addLink({ context: REMOTE_PARENT, attributes: { a: 1, b: 2, c: 3 } });
    span.end();
    expect(spans[0]!.events[0]!.attributes).toEqual({ a: 1 });
    expect(spans[0]!.events[0]!.droppedAttributesCount).toBe(2);
    expect(spans[0]!.links[0]!.attributes).toEqual({ a: 1, b: 2 });
    expect(spans[0]!.links[0]!.droppedAttributesCount).toBe(1);
  });

  it('logs a limit message at most once per span', () => {
    capture = captureDiag();
    const { tracer } = createTestProvider({
      spanLimits: { attributeCountLimit: 0, eventCountLimit: 0 },
    });
    const span = tracer.startSpan('s');
    span.setAttribute('a', 1);
    span.setAttribute('b', 1);
    span.addEvent('e');
    span.end();
    expect(capture.messages.filter((m) => /limit reached/.test(m.message))).toHaveLength(1);
  });
});

describe('span operations (spec trace/api.md "Span operations")', () => {
  // SetStatus (Unset ignored, Ok final, a description only with Error): recording-span.test.ts.

  it('End: later calls are ignored; after End the span is not recording and changes nothing', () => {
    capture = captureDiag();
    const { tracer, spans } = createTestProvider();
    const span = tracer.startSpan('s');
    const seconds = Math.floor(Date.now() / 1000);
    span.end([seconds + 10, 0]);
    span.end([seconds + 20, 0]);
    span.setAttribute('a', 1);
    span.addEvent('e');
    span.updateName('renamed');
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.recordException(new Error('late'));
    expect(span.isRecording()).toBe(false);
    expect(spans).toHaveLength(1);
    expect(spans[0]!.name).toBe('s');
    expect(spans[0]!.attributes).toEqual({});
    expect(spans[0]!.events).toEqual([]);
    expect(spans[0]!.status.code).toBe(SpanStatusCode.UNSET);
    expect(spans[0]!.endTime).toEqual([seconds + 10, 0]);
  });

  it('UpdateName renames; the kind defaults to INTERNAL', () => {
    const { tracer, spans } = createTestProvider();
    const span = tracer.startSpan('before');
    span.updateName('after');
    span.end();
    tracer.startSpan('server', { kind: SpanKind.SERVER }).end();
    expect(spans.map((s) => [s.name, s.kind])).toEqual([
      ['after', SpanKind.INTERNAL],
      ['server', SpanKind.SERVER],
    ]);
  });

  it('RecordException adds an "exception" event with exception.type/message/stacktrace', () => {
    const { tracer, spans } = createTestProvider();
    const span = tracer.startSpan('s');
    const error = new TypeError('bad input');
    const at: [number, number] = [5, 250_000_001];
    span.recordException(error, at);
    span.recordException('plain text');
    span.end();
    const [first, second] = spans[0]!.events;
    expect(first!.name).toBe('exception');
    expect(first!.time).toEqual(at);
    expect(first!.attributes).toEqual({
      'exception.type': 'TypeError',
      'exception.message': 'bad input',
      'exception.stacktrace': error.stack,
    });
    expect(second!.attributes).toEqual({ 'exception.message': 'plain text' });
  });

  it('start and end times accept Date, HrTime and epoch milliseconds', () => {
    const { tracer, spans } = createTestProvider();
    const seconds = Math.floor(Date.now() / 1000);
    tracer.startSpan('date', { startTime: new Date(seconds * 1000) }).end([seconds + 1, 5]);
    tracer.startSpan('ms', { startTime: seconds * 1000 + 500 }).end(seconds * 1000 + 2000);
    expect(spans[0]!.startTime).toEqual([seconds, 0]);
    expect(spans[0]!.endTime).toEqual([seconds + 1, 5]);
    expect(spans[0]!.duration).toEqual([1, 5]);
    expect(spans[1]!.startTime).toEqual([seconds, 500_000_000]);
    expect(spans[1]!.endTime).toEqual([seconds + 2, 0]);
  });
});

describe('times given as HrTime (spec trace/api.md "Time": "The maximal precision is nanoseconds")', () => {
  it('start, end and event times come back to the nanosecond, however far from now', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_102_444_800 }), // 1970 to 2100
        fc.integer({ min: 0, max: 999_999_999 }),
        fc.integer({ min: 0, max: 999_999_999 }),
        fc.integer({ min: 0, max: 86_400 }),
        (seconds, startNanos, endNanos, later) => {
          const { tracer, spans } = createTestProvider();
          const span = tracer.startSpan('s', { startTime: [seconds, startNanos] });
          span.addEvent('e', [seconds, endNanos]);
          span.end([seconds + later + 1, endNanos]);
          const [finished] = spans;
          expect(finished!.startTime).toEqual([seconds, startNanos]);
          expect(finished!.endTime).toEqual([seconds + later + 1, endNanos]);
          expect(finished!.events[0]!.time).toEqual([seconds, endNanos]);
          const total = (later + 1) * 1e9 + endNanos - startNanos;
          expect(finished!.duration).toEqual([Math.floor(total / 1e9), total % 1e9]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a start time that is not an HrTime ([1, 2, 3]) is now, as any invalid time is', () => {
    const { tracer, spans } = createTestProvider();
    const before = Math.floor(Date.now() / 1000);
    tracer.startSpan('s', { startTime: [1, 2, 3] as unknown as [number, number] }).end();
    expect(spans[0]!.startTime[0]).toBeGreaterThanOrEqual(before);
    expect(spans[0]!.duration[0]).toBe(0);
  });

  it('a 50 ns span far from now lasts 50 ns; an end a rounding puts before its start is the start', () => {
    const { tracer, spans } = createTestProvider();
    tracer.startSpan('short', { startTime: [1_700_000_000, 100] }).end([1_700_000_000, 150]);
    tracer.startSpan('backwards', { startTime: [1_700_000_000, 150] }).end([1_700_000_000, 100]);
    expect(spans[0]!.duration).toEqual([0, 50]);
    expect(spans[1]!.endTime).toEqual([1_700_000_000, 150]);
    expect(spans[1]!.duration).toEqual([0, 0]);
  });
});

describe('span creation (spec trace/sdk.md "SDK Span creation", trace/api.md "Span Creation")', () => {
  it('a sampled-out span has a valid, unsampled context with its own span id', () => {
    const { tracer } = createTestProvider({ sampler: 'parentbased_always_off' });
    const root = tracer.startSpan('root');
    const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root));
    const grandchild = tracer.startSpan('grandchild', {}, trace.setSpan(ROOT_CONTEXT, child));
    const ids = [root, child, grandchild].map((s) => s.spanContext());
    for (const sc of ids) {
      expect(sc.traceId).toBe(ids[0]!.traceId);
      expect(sc.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(sc.traceFlags & TraceFlags.SAMPLED).toBe(0);
      expect(sc.isRemote).toBe(false);
    }
    // "Generate a new span ID for the Span, independently of the sampling decision."
    expect(new Set(ids.map((sc) => sc.spanId)).size).toBe(3);
    expect(child).not.toBe(root);
  });

  it('a remote parent in the context gives the trace id, parent span id and remote kind', () => {
    const { tracer, spans } = createTestProvider();
    const ctx = trace.setSpanContext(ROOT_CONTEXT, REMOTE_PARENT);
    tracer.startSpan('child', {}, ctx).end();
    expect(spans[0]!.spanContext().traceId).toBe(REMOTE_PARENT.traceId);
    expect(spans[0]!.parentSpanContext?.spanId).toBe(REMOTE_PARENT.spanId);
    expect(spans[0]!.parentSpanContext?.isRemote).toBe(true);
  });

  it('with root: true the sampler and OnStart see the parent Context without its span', () => {
    const { sampler, calls } = recordingSampler({ decision: SamplingDecision.RECORD_AND_SAMPLED });
    const started: Context[] = [];
    const { tracer, spans } = createTestProvider({
      sampler,
      spanProcessors: [
        {
          onStart: (_span, parentContext) => started.push(parentContext),
          onEnd: () => {},
          forceFlush: async () => {},
          shutdown: async () => {},
        },
      ],
    });
    const ctx = trace.setSpanContext(ROOT_CONTEXT, REMOTE_PARENT);
    tracer.startSpan('new root', { root: true }, ctx).end();
    expect(spans[0]!.parentSpanContext).toBeUndefined();
    expect(spans[0]!.spanContext().traceId).not.toBe(REMOTE_PARENT.traceId);
    expect(trace.getSpan(calls[0]!.context)).toBeUndefined();
    expect(trace.getSpan(started[0]!)).toBeUndefined();
  });

  it('sampler attributes are added to the span and win over start attributes', () => {
    const { sampler } = recordingSampler({
      decision: SamplingDecision.RECORD_AND_SAMPLED,
      attributes: { 'sampler.rule': 'r1', shared: 'sampler' },
    });
    const { tracer, spans } = createTestProvider({ sampler });
    tracer.startSpan('s', { attributes: { shared: 'start', own: 1 } }).end();
    expect(spans[0]!.attributes).toEqual({ 'sampler.rule': 'r1', shared: 'sampler', own: 1 });
  });

  it('RECORD_ONLY: recording, not sampled, seen by processors, not exported', () => {
    const { sampler } = recordingSampler({ decision: SamplingDecision.RECORD });
    const ended: FinishedSpan[] = [];
    let startedCount = 0;
    const { tracer, spans } = createTestProvider({
      sampler,
      spanProcessors: [
        {
          onStart: () => startedCount++,
          onEnd: (span) => ended.push(span),
          forceFlush: async () => {},
          shutdown: async () => {},
        },
      ],
    });
    const span = tracer.startSpan('s');
    expect(span.isRecording()).toBe(true);
    expect(span.spanContext().traceFlags & TraceFlags.SAMPLED).toBe(0);
    span.end();
    expect(startedCount).toBe(1);
    expect(ended).toHaveLength(1);
    expect(spans).toHaveLength(0);
  });

  it('the span carries the trace state the sampler returned', () => {
    const { sampler } = recordingSampler({
      decision: SamplingDecision.RECORD_AND_SAMPLED,
      traceState: createTraceState('vendor=v1'),
    });
    const { tracer } = createTestProvider({ sampler });
    const ctx = trace.setSpanContext(ROOT_CONTEXT, {
      ...REMOTE_PARENT,
      traceState: createTraceState('parent=p'),
    });
    const span = tracer.startSpan('s', {}, ctx);
    expect(span.spanContext().traceState?.serialize()).toBe('vendor=v1');
    span.end();
  });

  it('a sampler that starts a span itself leaves the outer span its parent\'s trace id (ShouldSample: "they MUST always match")', () => {
    let depth = 0;
    let tracerRef: ReturnType<typeof createTestProvider>['tracer'] | undefined;
    const sampler: Sampler = {
      shouldSample() {
        // what an instrumented logger called from a sampler would do
        if (depth++ === 0)
          tracerRef!.startSpan('log write', { kind: SpanKind.CLIENT, root: true }).end();
        depth--;
        return { decision: SamplingDecision.RECORD_AND_SAMPLED };
      },
    };
    const { tracer, spans } = createTestProvider({ sampler });
    tracerRef = tracer;
    const ctx = trace.setSpanContext(ROOT_CONTEXT, REMOTE_PARENT);
    const span = tracer.startSpan('outer', { kind: SpanKind.SERVER }, ctx);
    span.end();
    const outer = spans.find((s) => s.name === 'outer')!;
    expect(outer.spanContext().traceId).toBe(REMOTE_PARENT.traceId);
    expect(outer.parentSpanContext?.spanId).toBe(REMOTE_PARENT.spanId);
    expect(outer.kind).toBe(SpanKind.SERVER);
    const inner = spans.find((s) => s.name === 'log write')!;
    expect(inner.spanContext().traceId).not.toBe(REMOTE_PARENT.traceId);
    expect(inner.kind).toBe(SpanKind.CLIENT);
  });
});

describe('Tracer and TracerProvider (spec trace/api.md "Get a Tracer", trace/sdk.md "Shutdown")', () => {
  it('keeps name, version and schema URL as the instrumentation scope', () => {
    const { provider, spans } = createTestProvider();
    provider.getTracer('lib', '2.0.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' });
    provider
      .getTracer('lib', '2.0.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' })
      .startSpan('s')
      .end();
    expect(spans[0]!.instrumentationScope).toEqual({
      name: 'lib',
      version: '2.0.0',
      schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
    });
  });

  it('takes scope attributes (Get a Tracer: "MUST be structured to accept a variable number of attributes, including none"); they are part of the tracer\'s identity', () => {
    capture = captureDiag();
    const { provider, spans } = createTestProvider();
    const getTracer = provider.getTracer.bind(provider) as (
      name: string,
      version?: string,
      options?: { attributes?: Record<string, unknown> },
    ) => ReturnType<typeof provider.getTracer>;
    const a = getTracer('lib', '1', { attributes: { tier: 'db', shard: 2 } });
    expect(getTracer('lib', '1', { attributes: { shard: 2, tier: 'db' } })).toBe(a);
    expect(getTracer('lib', '1', { attributes: { tier: 'cache' } })).not.toBe(a);
    expect(getTracer('lib', '1')).not.toBe(a);
    expect(getTracer('lib', '1', { attributes: {} })).toBe(getTracer('lib', '1'));
    // what JSON would write alike (null) are different attributes
    expect(getTracer('lib', '1', { attributes: { v: Number.NaN } })).not.toBe(
      getTracer('lib', '1', { attributes: { v: Number.POSITIVE_INFINITY } }),
    );
    a.startSpan('s').end();
    getTracer('lib', '1', { attributes: { ok: true, bad: { nested: () => 1 } } })
      .startSpan('t')
      .end();
    expect(spans[0]!.instrumentationScope).toEqual({
      name: 'lib',
      version: '1',
      attributes: { tier: 'db', shard: 2 },
    });
    expect(spans[1]!.instrumentationScope.attributes).toEqual({ ok: true });
    expect(capture.text()).toMatch(/invalid scope attribute "bad"/);
  });

  it('a finished span also gives its scope as instrumentationLibrary and its parent as parentSpanId (trace/sdk.md, ReadableSpan: "For backwards compatibility it MUST also be able to access the InstrumentationLibrary")', () => {
    const { provider, spans } = createTestProvider();
    const tracer = provider.getTracer('lib', '2.0.0');
    const parent = tracer.startSpan('parent');
    tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, parent)).end();
    parent.end();
    const [child, finishedParent] = spans;
    expect(child!.instrumentationLibrary).toEqual(child!.instrumentationScope);
    expect(child!.instrumentationLibrary).toMatchObject({ name: 'lib', version: '2.0.0' });
    expect(child!.parentSpanId).toBe(parent.spanContext().spanId);
    expect(finishedParent!.parentSpanId).toBeUndefined();
  });

  it('an invalid (empty or missing) name still gives a working tracer named "" and a warning', () => {
    capture = captureDiag();
    const { provider, spans } = createTestProvider();
    provider.getTracer('').startSpan('a').end();
    provider
      .getTracer(undefined as unknown as string)
      .startSpan('b')
      .end();
    expect(spans.map((s) => s.instrumentationScope.name)).toEqual(['', '']);
    expect(capture.messages.filter((m) => m.level === 'warn')).toHaveLength(2);
  });

  it('tracers with different scopes are never confused', () => {
    const { provider } = createTestProvider();
    const a = provider.getTracer('a@b', undefined);
    const b = provider.getTracer('a', 'b@');
    expect(b.instrumentationScope).toEqual({ name: 'a', version: 'b@', schemaUrl: undefined });
    expect(a).not.toBe(b);
  });

  it('after Shutdown tracers are no-ops that still carry the parent SpanContext', async () => {
    const { provider, tracer, spans } = createTestProvider();
    await provider.shutdown();
    const ctx = trace.setSpanContext(ROOT_CONTEXT, REMOTE_PARENT);
    const child = tracer.startSpan('late', {}, ctx);
    expect(child.isRecording()).toBe(false);
    expect(child.spanContext()).toEqual(REMOTE_PARENT);
    const orphan = provider.getTracer('new').startSpan('orphan');
    expect(trace.isSpanContextValid(orphan.spanContext())).toBe(false);
    child.end();
    orphan.end();
    expect(spans).toHaveLength(0);
  });

  it('Shutdown is idempotent: processors shut down once', async () => {
    let shutdowns = 0;
    const { provider } = createTestProvider({
      spanProcessors: [
        {
          onStart: () => {},
          onEnd: () => {},
          forceFlush: async () => {},
          shutdown: async () => {
            shutdowns++;
          },
        },
      ],
    });
    await Promise.all([provider.shutdown(), provider.shutdown()]);
    await provider.shutdown();
    expect(shutdowns).toBe(1);
  });

  it('OnEnding (trace/sdk.md, Development): after the end time is set, in registration order, before any OnEnd, with the span still changeable', () => {
    capture = captureDiag();
    const calls: string[] = [];
    const processor = (name: string, ending?: (span: Span) => void) => ({
      onStart: () => {},
      ...(ending === undefined
        ? {}
        : {
            onEnding: (span: Span) => {
              calls.push(`${name}.onEnding`);
              ending(span);
            },
          }),
      onEnd: (span: FinishedSpan) => {
        calls.push(`${name}.onEnd`);
        ended.push(span);
      },
      forceFlush: async () => {},
      shutdown: async () => {},
    });
    const ended: FinishedSpan[] = [];
    let recordingInOnEnding: boolean | undefined;
    const { provider } = createTestProvider({
      spanProcessors: [
        processor('a', (span) => {
          recordingInOnEnding = span.isRecording();
          span.setAttribute('cost', 3);
          span.addEvent('ending');
          span.end(); // a second end, from inside: ignored
        }),
        processor('b', () => {
          throw new Error('b failed');
        }),
        processor('c'),
      ],
    });
    const span = provider.getTracer('t').startSpan('s');
    const endMs = (Math.floor(Date.now() / 1000) + 10) * 1000;
    span.end(endMs);
    expect(calls).toEqual(['a.onEnding', 'b.onEnding', 'a.onEnd', 'b.onEnd', 'c.onEnd']);
    expect(recordingInOnEnding).toBe(true);
    expect(ended[0]!.attributes).toEqual({ cost: 3 });
    expect(ended[0]!.events.map((e) => e.name)).toEqual(['ending']);
    expect(ended[0]!.endTime).toEqual([endMs / 1000, 0]);
    expect(span.isRecording()).toBe(false);
    expect(capture.text()).toMatch(/threw in onEnding/);
    expect(capture.text()).toMatch(/end\(\) called again/);
  });

  it('OnEnding may end another span, whose own OnEnding cannot end the first one again', () => {
    capture = captureDiag();
    const ended: string[] = [];
    let other: Span | undefined;
    let first: Span | undefined;
    const { provider } = createTestProvider({
      spanProcessors: [
        {
          onStart: () => {},
          onEnding: (span: Span) => {
            if (span === first) other!.end();
            else first!.end(); // inside first's OnEnding still: a second end, ignored
          },
          onEnd: (span: FinishedSpan) => ended.push(span.name),
          forceFlush: async () => {},
          shutdown: async () => {},
        },
      ],
    });
    const tracer = provider.getTracer('t');
    first = tracer.startSpan('first');
    other = tracer.startSpan('other');
    first.end();
    expect(ended).toEqual(['other', 'first']);
    expect(capture.text().match(/end\(\) called again/g)).toHaveLength(1);
    // and each ends once: a later end() of either is a second end too
    first.end();
    other.end();
    expect(ended).toEqual(['other', 'first']);
  });

  it('ForceFlush and Shutdown tell success from a failed export, through the span processors', async () => {
    capture = captureDiag();
    for (const Processor of [BatchSpanProcessor, SimpleSpanProcessor]) {
      let fail = false;
      const exporter: SpanExporter = {
        export: (_spans, done) =>
          done({ code: fail ? ExportResultCode.FAILED : ExportResultCode.SUCCESS }),
        shutdown: async () => {},
      };
      const { provider } = createTestProvider({ spanProcessors: [new Processor(exporter)] });
      const tracer = provider.getTracer('t');
      tracer.startSpan('ok').end();
      expect(await provider.forceFlush()).toBe('success');
      fail = true;
      tracer.startSpan('lost').end();
      expect(await provider.forceFlush()).toBe('failure');
      fail = false;
      tracer.startSpan('ok again').end();
      expect(await provider.shutdown()).toBe('success');
    }
  });

  it('two flushes waiting for one failed export both report it; an exporter whose shutdown returns nothing still shuts down cleanly', async () => {
    capture = captureDiag();
    for (const Processor of [BatchSpanProcessor, SimpleSpanProcessor]) {
      const exporter = {
        export: (_spans: unknown, done: (result: { code: number }) => void) =>
          void setTimeout(() => done({ code: ExportResultCode.FAILED }), 10),
        shutdown: () => undefined,
      } as unknown as SpanExporter;
      const processor = new Processor(exporter);
      const { provider } = createTestProvider({ spanProcessors: [processor] });
      provider.getTracer('t').startSpan('lost').end();
      expect(await Promise.all([processor.forceFlush(), processor.forceFlush()])).toEqual([
        'failure',
        'failure',
      ]);
      expect(await processor.forceFlush()).toBe('success');
      expect(await processor.shutdown()).toBe('success');
    }
  });

  it('ForceFlush and Shutdown reach every processor, even after one fails, and report it', async () => {
    capture = captureDiag();
    const calls: string[] = [];
    const processor = (name: string, fail: boolean) => ({
      onStart: () => {},
      onEnd: () => {},
      forceFlush: async () => {
        calls.push(`${name}.flush`);
        if (fail) throw new Error(`${name} flush failed`);
      },
      shutdown: async () => {
        calls.push(`${name}.shutdown`);
        if (fail) throw new Error(`${name} shutdown failed`);
      },
    });
    const { provider } = createTestProvider({
      spanProcessors: [processor('a', true), processor('b', false)],
    });
    // ForceFlush / Shutdown: "SHOULD provide a way to let the caller know whether it succeeded,
    // failed or timed out"; spanlite resolves with it rather than rejecting
    expect(await provider.forceFlush()).toBe('failure');
    expect(await provider.shutdown()).toBe('failure');
    expect(calls).toEqual(['a.flush', 'b.flush', 'a.shutdown', 'b.shutdown']);
    expect(capture.text()).toMatch(/forceFlush failed/);
    expect(capture.text()).toMatch(/shutdown failed/);
  });
});
