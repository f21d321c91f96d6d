/**
 * Conformance of the B3 propagator, one case per clause. Citations:
 * - "B3" is openzipkin/b3-propagation's README, by section ("Single Header", "Multiple Headers",
 *   "Sampling State", "Debug Flag", "Http Encodings").
 * - "OTel B3" is opentelemetry-specification context/api-propagators.md, "B3 Requirements"
 *   ("B3 Extract", "B3 Inject", "Fields", "Configuration").
 * - "W3C Trace Context" is W3C Trace Context Level 2, by section ("Tracestate Header").
 */
import {
  type Context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  type TextMapGetter,
  type TextMapPropagator,
  trace,
} from '@opentelemetry/api';
import { AlwaysOffSampler, getSamplingHint, TracerProvider } from '@spanlite/core';
import { describe, expect, it } from 'vitest';
import { isB3Debug } from './b3-debug-flag';
import { B3Propagator } from './b3-propagator';
import { headersGetter } from './headers-carrier';
import { objectGetter } from './object-carrier';
import { propagatorFromEnv } from './propagator-from-env';

const TRACE_ID = '80f198ee56343ba864fe8b2a57d3eff7';
const TRACE_ID_64 = '64fe8b2a57d3eff7';
const SPAN_ID = 'e457b5a2e4d86bd1';
const OTHER_SPAN_ID = 'a2fb4a1d1a96d312';
const PARENT = '05e3ac9a4f6e3b90';

const single = new B3Propagator();
const multi = new B3Propagator({ injectEncoding: 'multi' });

function extract(headers: Record<string, unknown>, propagator: TextMapPropagator = single) {
  return propagator.extract(ROOT_CONTEXT, headers, objectGetter);
}

function injected(context: Context, propagator: TextMapPropagator): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagator.inject(context, carrier, defaultTextMapSetter);
  return carrier;
}

describe('B3 "Single Header"', () => {
  // The full {TraceId}-{SpanId}-{SamplingState}-{ParentSpanId} example: b3-propagator.test.ts.

  it('pads a 64-bit (16 hex) TraceId to 128 bits on extract', () => {
    const context = extract({ b3: `${TRACE_ID_64}-${SPAN_ID}-1` });
    expect(trace.getSpanContext(context)?.traceId).toBe(`0000000000000000${TRACE_ID_64}`);
  });

  it.each([
    ['1 (accept)', '-1', 1, false],
    ['0 (deny)', '-0', 0, false],
    ['d (debug, which implies accept; OTel B3 Extract: MUST set the sampled flag)', '-d', 1, true],
    ['absent (defer)', '', 0, false],
  ])('reads the sampling state %s', (_name, state, flags, debug) => {
    const context = extract({ b3: `${TRACE_ID}-${SPAN_ID}${state}` });
    expect(trace.getSpanContext(context)?.traceFlags).toBe(flags);
    expect(isB3Debug(context)).toBe(debug);
  });

  it('reads the deny-only "b3: 0" as a decision without ids, and sends it on as "b3: 0"', () => {
    const context = extract({ b3: '0' });
    expect(trace.getSpanContext(context)).toBeUndefined();
    expect(getSamplingHint(context)).toEqual({ sampled: false, debug: false });
    expect(injected(context, single)).toEqual({ b3: '0' });
  });

  it.each([
    ['uppercase hex (ids are lower-hex)', `${TRACE_ID.toUpperCase()}-${SPAN_ID}-1`],
    ['a 24-hex trace id (16 or 32)', `${TRACE_ID.slice(8)}-${SPAN_ID}-1`],
    ['a 15-hex span id', `${TRACE_ID}-${SPAN_ID.slice(1)}-1`],
    ['the sampling state "true" (only 1, 0, d)', `${TRACE_ID}-${SPAN_ID}-true`],
    ['a ParentSpanId without SamplingState', `${TRACE_ID}-${SPAN_ID}-${PARENT}`],
  ])('rejects %s', (_name, b3) => {
    expect(trace.getSpanContext(extract({ b3 }))).toBeUndefined();
  });
});

describe('B3 "Multiple Headers"', () => {
  const ids = { 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID };

  it.each([
    ['1', 1],
    ['0', 0],
    ['true', 1],
    ['false', 0],
  ])('reads X-B3-Sampled: %s ("Sampling State", legacy true/false accepted)', (sampled, flags) => {
    const context = extract({ ...ids, 'x-b3-sampled': sampled });
    expect(trace.getSpanContext(context)).toMatchObject({
      ...{ traceId: TRACE_ID },
      traceFlags: flags,
    });
  });

  it('reads X-B3-Flags: 1 as debug, which implies accept even beside X-B3-Sampled: 0 ("Debug Flag")', () => {
    const context = extract({ ...ids, 'x-b3-flags': '1', 'x-b3-sampled': '0' });
    expect(trace.getSpanContext(context)?.traceFlags).toBe(1);
    expect(isB3Debug(context)).toBe(true);
  });

  it('pads a 64-bit X-B3-TraceId to 128 bits', () => {
    const context = extract({ 'x-b3-traceid': TRACE_ID_64, 'x-b3-spanid': SPAN_ID });
    expect(trace.getSpanContext(context)?.traceId).toBe(`0000000000000000${TRACE_ID_64}`);
  });

  it('takes the first value of a header sent twice ("When extracting state headers, the first value wins")', () => {
    const lines = extract({
      'x-b3-traceid': [TRACE_ID, `${'1'.repeat(16)}${TRACE_ID_64}`],
      'x-b3-spanid': [SPAN_ID, OTHER_SPAN_ID],
      'x-b3-sampled': ['1', '0'],
    });
    expect(trace.getSpanContext(lines)).toMatchObject({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 1,
    });
    // Fetch's Headers and Node's IncomingMessage join repeated headers with ", ".
    const headers = new Headers();
    headers.append('X-B3-TraceId', TRACE_ID);
    headers.append('X-B3-TraceId', TRACE_ID_64);
    headers.append('X-B3-SpanId', SPAN_ID);
    headers.append('X-B3-SpanId', OTHER_SPAN_ID);
    headers.append('X-B3-Sampled', '0');
    headers.append('X-B3-Sampled', '1');
    const joined = single.extract(ROOT_CONTEXT, headers, headersGetter);
    expect(trace.getSpanContext(joined)).toMatchObject({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 0,
    });
  });

  it('reads a header the getter reports missing as null or "" as absent (OTel "Getter argument": Get MUST return null if the key does not exist)', () => {
    // Fetch's Headers.get answers null for a missing header; some map carriers answer "". A null
    // X-B3-ParentSpanId (the root span's) or X-B3-TraceId (a sampling-only decision) is absent.
    const nullGetter: TextMapGetter<Headers> = {
      get: (headers, key) => headers.get(key) as unknown as string | undefined,
      keys: (headers) => [...headers.keys()],
    };
    const emptyGetter: TextMapGetter<Record<string, string>> = {
      get: (carrier, key) => carrier[key] ?? '',
      keys: (carrier) => Object.keys(carrier),
    };
    const headers = { 'X-B3-TraceId': TRACE_ID, 'X-B3-SpanId': SPAN_ID, 'X-B3-Sampled': '1' };
    for (const context of [
      single.extract(ROOT_CONTEXT, new Headers(headers), nullGetter),
      single.extract(ROOT_CONTEXT, { ...ids, 'x-b3-sampled': '1' }, emptyGetter),
    ]) {
      expect(trace.getSpanContext(context)).toMatchObject({
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        traceFlags: 1,
      });
    }
    for (const context of [
      single.extract(ROOT_CONTEXT, new Headers({ 'X-B3-Sampled': '0' }), nullGetter),
      single.extract(ROOT_CONTEXT, { 'x-b3-sampled': '0' }, emptyGetter),
    ]) {
      expect(trace.getSpanContext(context)).toBeUndefined();
      expect(getSamplingHint(context)).toEqual({ sampled: false, debug: false });
    }
  });

  it('needs both X-B3-TraceId and X-B3-SpanId for ids', () => {
    expect(
      trace.getSpanContext(extract({ 'x-b3-traceid': TRACE_ID, 'x-b3-sampled': '1' })),
    ).toBeUndefined();
  });

  it('matches header names ignoring case ("Multiple Headers": http headers are case-insensitive)', () => {
    const context = extract({
      'X-B3-TraceId': TRACE_ID,
      'X-B3-SpanId': SPAN_ID,
      'X-B3-Sampled': '1',
    });
    expect(trace.getSpanContext(context)).toMatchObject({ traceId: TRACE_ID, traceFlags: 1 });
    expect(trace.getSpanContext(extract({ B3: `${TRACE_ID}-${SPAN_ID}-1` }))?.spanId).toBe(SPAN_ID);
  });
});

describe('OTel B3 Extract: both encodings, the single header first', () => {
  it.each([
    ['b3 (single inject)', propagatorFromEnv({ OTEL_PROPAGATORS: 'b3' })],
    ['b3multi (multi inject)', propagatorFromEnv({ OTEL_PROPAGATORS: 'b3multi' })],
  ])('%s reads both encodings, preferring the single header', (_name, propagator) => {
    const both = {
      b3: `${TRACE_ID}-${SPAN_ID}-1`,
      'x-b3-traceid': TRACE_ID,
      'x-b3-spanid': OTHER_SPAN_ID,
      'x-b3-sampled': '0',
    };
    expect(trace.getSpanContext(extract(both, propagator))).toMatchObject({
      spanId: SPAN_ID,
      traceFlags: 1,
    });
    const { b3: _single, ...onlyMulti } = both;
    expect(trace.getSpanContext(extract(onlyMulti, propagator))).toMatchObject({
      spanId: OTHER_SPAN_ID,
      traceFlags: 0,
    });
    expect(trace.getSpanContext(extract({ b3: both.b3 }, propagator))?.spanId).toBe(SPAN_ID);
  });

  it('does not reuse X-B3-SpanId as the id of the server span', () => {
    const remote = extract({ b3: `${TRACE_ID}-${SPAN_ID}-1` });
    const span = new TracerProvider().getTracer('b3').startSpan('server', {}, remote);
    expect(span.spanContext().traceId).toBe(TRACE_ID);
    expect(span.spanContext().spanId).not.toBe(SPAN_ID);
    span.end();
  });
});

describe('W3C Trace Context "Tracestate Header" with B3 extracted after tracecontext', () => {
  const composite = propagatorFromEnv({ OTEL_PROPAGATORS: 'tracecontext,baggage,b3' });
  const TRACE_STATE = 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7';

  it.each([
    ['b3', `${TRACE_ID}-${SPAN_ID}-1`],
    ['x-b3-*', { 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID, 'x-b3-sampled': '1' }],
  ])(
    'Vendors receiving a tracestate request header MUST send it to outgoing requests (%s)',
    (_name, b3) => {
      const incoming = {
        traceparent: `00-${TRACE_ID}-${OTHER_SPAN_ID}-03`,
        tracestate: TRACE_STATE,
        ...(typeof b3 === 'string' ? { b3 } : b3),
      };
      const context = composite.extract(ROOT_CONTEXT, incoming, objectGetter);
      // B3 extracts last: its span id; the same trace's tracestate and W3C random flag are kept.
      const remote = trace.getSpanContext(context);
      expect(remote).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 3 });
      expect(remote?.traceState?.serialize()).toBe(TRACE_STATE);
      const span = new TracerProvider().getTracer('b3').startSpan('server', {}, context);
      const { spanId } = span.spanContext();
      expect(injected(trace.setSpan(context, span), composite)).toEqual({
        traceparent: `00-${TRACE_ID}-${spanId}-03`,
        tracestate: TRACE_STATE,
        b3: `${TRACE_ID}-${spanId}-1`,
      });
      span.end();
    },
  );

  it("takes B3's sampling state, and keeps nothing of another trace's traceparent", () => {
    const denied = composite.extract(
      ROOT_CONTEXT,
      {
        traceparent: `00-${TRACE_ID}-${OTHER_SPAN_ID}-03`,
        tracestate: TRACE_STATE,
        b3: `${TRACE_ID}-${SPAN_ID}-0`,
      },
      objectGetter,
    );
    expect(trace.getSpanContext(denied)).toMatchObject({ spanId: SPAN_ID, traceFlags: 2 });
    expect(trace.getSpanContext(denied)?.traceState?.serialize()).toBe(TRACE_STATE);
    const other = composite.extract(
      ROOT_CONTEXT,
      {
        traceparent: `00-${'1'.repeat(32)}-${OTHER_SPAN_ID}-03`,
        tracestate: TRACE_STATE,
        b3: `${TRACE_ID}-${SPAN_ID}-1`,
      },
      objectGetter,
    );
    expect(trace.getSpanContext(other)).toMatchObject({ traceId: TRACE_ID, traceFlags: 1 });
    expect(trace.getSpanContext(other)?.traceState).toBeUndefined();
  });
});

describe('B3 "Debug Flag": an accept decision for the trace it came with', () => {
  const debugged = extract({ b3: `${TRACE_ID}-${SPAN_ID}-d` });

  it('does not send debug with a new root trace started in the context', () => {
    const tracer = new TracerProvider().getTracer('b3');
    const root = tracer.startSpan('background job', { root: true }, debugged);
    const child = trace.setSpan(debugged, root);
    const { traceId, spanId } = root.spanContext();
    expect(traceId).not.toBe(TRACE_ID);
    expect(injected(child, single).b3).toBe(`${traceId}-${spanId}-1`);
    expect(injected(child, multi)).toEqual({
      'x-b3-traceid': traceId,
      'x-b3-spanid': spanId,
      'x-b3-sampled': '1',
    });
    root.end();
  });

  it('does not send debug with the trace of a traceparent extracted after it (b3,tracecontext)', () => {
    const composite = propagatorFromEnv({ OTEL_PROPAGATORS: 'b3,tracecontext' });
    const otherTrace = '1'.repeat(32);
    const context = composite.extract(
      ROOT_CONTEXT,
      { b3: `${TRACE_ID}-${SPAN_ID}-d`, traceparent: `00-${otherTrace}-${OTHER_SPAN_ID}-01` },
      objectGetter,
    );
    expect(injected(context, single).b3).toBe(`${otherTrace}-${OTHER_SPAN_ID}-1`);
    // The same trace in both headers is still the debug trace.
    const same = composite.extract(
      ROOT_CONTEXT,
      { b3: `${TRACE_ID}-${SPAN_ID}-d`, traceparent: `00-${TRACE_ID}-${OTHER_SPAN_ID}-01` },
      objectGetter,
    );
    expect(injected(same, single).b3).toBe(`${TRACE_ID}-${OTHER_SPAN_ID}-d`);
  });

  // OTel B3 Extract: "MUST preserve a debug trace flag, if received, and propagate it with
  // subsequent requests": a local sampler that drops the span does not take it away downstream.
  it('sends d with a span of the debug trace that this process did not sample', () => {
    const tracer = new TracerProvider({ sampler: new AlwaysOffSampler() }).getTracer('b3');
    const span = tracer.startSpan('client', {}, debugged);
    expect(span.isRecording()).toBe(false);
    const { spanId } = span.spanContext();
    const inSpan = trace.setSpan(debugged, span);
    expect(isB3Debug(inSpan)).toBe(true);
    expect(injected(inSpan, single).b3).toBe(`${TRACE_ID}-${spanId}-d`);
    expect(injected(inSpan, multi)).toEqual({
      'x-b3-traceid': TRACE_ID,
      'x-b3-spanid': spanId,
      'x-b3-flags': '1',
    });
    span.end();
  });

  it('a sampling-only b3: d still forces sampling of the next span, and is sent on while no span exists', () => {
    const hinted = extract({ b3: 'd' });
    expect(injected(hinted, single)).toEqual({ b3: 'd' });
    expect(injected(hinted, multi)).toEqual({ 'x-b3-flags': '1' });
    const tracer = new TracerProvider({ sampler: new AlwaysOffSampler() }).getTracer('b3');
    const span = tracer.startSpan('server', {}, hinted);
    expect(span.isRecording()).toBe(true);
    expect(span.spanContext().traceFlags & 1).toBe(1);
    span.end();
  });

  // OTel B3 Extract: "MUST preserve a debug trace flag, if received, and propagate it with
  // subsequent requests", also when it came without ids (`b3: d`, `X-B3-Flags: 1` alone).
  it('a sampling-only debug flag is sent on with the trace its span starts, and only with that trace', () => {
    const tracer = new TracerProvider({ sampler: new AlwaysOffSampler() }).getTracer('b3');
    for (const hinted of [extract({ b3: 'd' }), extract({ 'x-b3-flags': '1' })]) {
      const server = tracer.startSpan('server', {}, hinted);
      const inServer = trace.setSpan(hinted, server);
      const { traceId, spanId } = server.spanContext();
      expect(injected(inServer, single)).toEqual({ b3: `${traceId}-${spanId}-d` });
      expect(injected(inServer, multi)).toEqual({
        'x-b3-traceid': traceId,
        'x-b3-spanid': spanId,
        'x-b3-flags': '1',
      });
      // a child span of that trace (sampled by its parent), also when handed on in a context
      // without the hint
      const client = new TracerProvider().getTracer('b3').startSpan('client', {}, inServer);
      const elsewhere = trace.setSpan(ROOT_CONTEXT, client);
      expect(injected(elsewhere, single).b3).toBe(`${traceId}-${client.spanContext().spanId}-d`);
      // another trace in the same context: a received traceparent's, not started by the hint
      const remote = propagatorFromEnv({ OTEL_PROPAGATORS: 'tracecontext' }).extract(
        inServer,
        { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` },
        objectGetter,
      );
      const other = new TracerProvider().getTracer('b3').startSpan('other', {}, remote);
      expect(injected(trace.setSpan(remote, other), single).b3).toBe(
        `${TRACE_ID}-${other.spanContext().spanId}-1`,
      );
      for (const s of [other, client, server]) s.end();
    }
    // a root asked to stand apart ({ root: true }) in the hinted context: its own trace, no -d
    const hinted = extract({ b3: 'd' });
    const apart = new TracerProvider().getTracer('b3').startSpan('job', { root: true }, hinted);
    expect(injected(trace.setSpan(hinted, apart), single).b3).toMatch(/-1$/);
    apart.end();
    // a root started where no debug flag arrived
    const plain = new TracerProvider().getTracer('b3').startSpan('plain');
    expect(injected(trace.setSpan(ROOT_CONTEXT, plain), single).b3).toMatch(/-1$/);
    plain.end();
  });
});

describe('OTel B3 Inject', () => {
  const context = extract({
    'x-b3-traceid': TRACE_ID,
    'x-b3-spanid': SPAN_ID,
    'x-b3-parentspanid': PARENT,
    'x-b3-sampled': '1',
  });

  it('writes the single header by default, the multi headers when configured (b3multi)', () => {
    expect(injected(context, new B3Propagator())).toEqual({ b3: `${TRACE_ID}-${SPAN_ID}-1` });
    expect(injected(context, propagatorFromEnv({ OTEL_PROPAGATORS: 'b3' }))).toEqual({
      b3: `${TRACE_ID}-${SPAN_ID}-1`,
    });
    expect(injected(context, propagatorFromEnv({ OTEL_PROPAGATORS: 'b3multi' }))).toEqual({
      'x-b3-traceid': TRACE_ID,
      'x-b3-spanid': SPAN_ID,
      'x-b3-sampled': '1',
    });
  });

  it('MUST NOT propagate X-B3-ParentSpanId, in either encoding', () => {
    const fromSingle = extract({ b3: `${TRACE_ID}-${SPAN_ID}-1-${PARENT}` });
    for (const from of [context, fromSingle]) {
      expect(injected(from, single).b3).toBe(`${TRACE_ID}-${SPAN_ID}-1`);
      expect(injected(from, multi)).not.toHaveProperty('x-b3-parentspanid');
    }
    const span = new TracerProvider().getTracer('b3').startSpan('client', {}, context);
    const child = trace.setSpan(context, span);
    expect(injected(child, single).b3).toBe(`${TRACE_ID}-${span.spanContext().spanId}-1`);
    expect(injected(child, multi)).not.toHaveProperty('x-b3-parentspanid');
    span.end();
  });

  it('sends a received debug flag on with later requests, as d or X-B3-Flags: 1 without X-B3-Sampled', () => {
    for (const received of [
      extract({ b3: `${TRACE_ID}-${SPAN_ID}-d` }),
      extract({ 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID, 'x-b3-flags': '1' }),
    ]) {
      const span = new TracerProvider().getTracer('b3').startSpan('client', {}, received);
      const child = trace.setSpan(received, span);
      expect(injected(child, single).b3).toBe(`${TRACE_ID}-${span.spanContext().spanId}-d`);
      expect(injected(child, multi)).toEqual({
        'x-b3-traceid': TRACE_ID,
        'x-b3-spanid': span.spanContext().spanId,
        'x-b3-flags': '1',
      });
      span.end();
    }
  });

  it('injects a 128-bit trace id for a 64-bit one received', () => {
    const received = extract({ b3: `${TRACE_ID_64}-${SPAN_ID}-0` });
    expect(injected(received, single).b3).toBe(`0000000000000000${TRACE_ID_64}-${SPAN_ID}-0`);
  });
});

describe('OTel B3 "Fields": the headers of the configured format', () => {
  it('lists b3 for the single header and the X-B3 headers for multi', () => {
    expect(single.fields()).toEqual(['b3']);
    expect(multi.fields()).toEqual(
      expect.arrayContaining(['x-b3-traceid', 'x-b3-spanid', 'x-b3-sampled', 'x-b3-flags']),
    );
    expect(multi.fields()).not.toContain('b3');
  });

  it('MUST return the header names used for the inject operation: no X-B3-ParentSpanId', () => {
    expect(multi.fields()).toEqual(['x-b3-traceid', 'x-b3-spanid', 'x-b3-sampled', 'x-b3-flags']);
    // Every header inject writes, in any state, is among the fields.
    const states = [`${TRACE_ID}-${SPAN_ID}-1-${PARENT}`, `${TRACE_ID}-${SPAN_ID}-d`, '0', 'd'];
    for (const propagator of [single, multi]) {
      for (const b3 of states) {
        for (const name of Object.keys(injected(extract({ b3 }), propagator)))
          expect(propagator.fields()).toContain(name);
      }
    }
  });
});

// The default getter is what `propagation.extract` uses without a carrier adapter.
describe('B3 with the API default getter', () => {
  it('reads lowercase header names', () => {
    const context = single.extract(
      ROOT_CONTEXT,
      { 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID, 'x-b3-sampled': '1' },
      defaultTextMapGetter,
    );
    expect(trace.getSpanContext(context)?.spanId).toBe(SPAN_ID);
  });
});
