import {
  type Context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  trace,
} from '@opentelemetry/api';
import { getSamplingHint, setSamplingHint, suppressTracing } from '@spanlite/core';
import { describe, expect, it } from 'vitest';
import { isB3Debug } from './b3-debug-flag';
import { B3Propagator } from './b3-propagator';
import { parseB3Single } from './parse-b3';

// Citations name sections of openzipkin/b3-propagation's README.
const TRACE_ID = '80f198ee56343ba864fe8b2a57d3eff7';
const SPAN_ID = 'e457b5a2e4d86bd1';
const PARENT = '05e3ac9a4f6e3b90';
const single = new B3Propagator();
const multi = new B3Propagator({ injectEncoding: 'multi' });

function extract(headers: Record<string, string | string[]>): Context {
  return single.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
}

describe('B3 single header ("Single Header")', () => {
  it('reads the full example {TraceId}-{SpanId}-{SamplingState}-{ParentSpanId}', () => {
    const context = extract({ b3: `${TRACE_ID}-${SPAN_ID}-1-${PARENT}` });
    expect(trace.getSpanContext(context)).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 1,
      isRemote: true,
    });
  });

  it('reads the 64-bit trace id form, left-padding it ("TraceId")', () => {
    const context = extract({ b3: `64fe8b2a57d3eff7-${SPAN_ID}-0` });
    expect(trace.getSpanContext(context)?.traceId).toBe(`0000000000000000${'64fe8b2a57d3eff7'}`);
    expect(trace.getSpanContext(context)?.traceFlags).toBe(0);
  });

  it('reads the deferred form without sampling state as not sampled', () => {
    const context = extract({ b3: `${TRACE_ID}-${SPAN_ID}` });
    expect(trace.getSpanContext(context)?.traceFlags).toBe(0);
  });

  it('reads the debug state d as sampled and keeps the debug flag', () => {
    const context = extract({ b3: `${TRACE_ID}-${SPAN_ID}-d` });
    expect(trace.getSpanContext(context)?.traceFlags).toBe(1);
    expect(isB3Debug(context)).toBe(true);
  });

  it.each([
    ['1', { sampled: true, debug: false }],
    ['0', { sampled: false, debug: false }],
    ['d', { sampled: true, debug: true }],
  ])(
    'turns the sampling-only header b3: %s into a sampling hint ("Single Header › Debug")',
    (b3, hint) => {
      const context = extract({ b3 });
      expect(trace.getSpanContext(context)).toBeUndefined();
      expect(getSamplingHint(context)).toEqual(hint);
    },
  );

  it.each([
    ['uppercase hex', `${TRACE_ID.toUpperCase()}-${SPAN_ID}-1`],
    ['an all-zero trace id', `${'0'.repeat(32)}-${SPAN_ID}-1`],
    ['an all-zero span id', `${TRACE_ID}-${'0'.repeat(16)}-1`],
    ['a 20-character trace id', `${TRACE_ID.slice(0, 20)}-${SPAN_ID}-1`],
    ['an unknown sampling state', `${TRACE_ID}-${SPAN_ID}-2`],
    ['a short parent id', `${TRACE_ID}-${SPAN_ID}-1-${PARENT.slice(1)}`],
    ['a parent id without sampling state', `${TRACE_ID}-${SPAN_ID}-${PARENT}`],
    ['a trailing dash', `${TRACE_ID}-${SPAN_ID}-`],
    ['a sampling-only true', 'true'],
    ['garbage', 'x'],
  ])('rejects %s', (_name, b3) => {
    expect(parseB3Single(b3)).toBeUndefined();
  });

  it('falls back to the multi headers when the single header is malformed', () => {
    const context = extract({
      b3: 'garbage',
      'x-b3-traceid': TRACE_ID,
      'x-b3-spanid': SPAN_ID,
      'x-b3-sampled': '1',
    });
    expect(trace.getSpanContext(context)?.spanId).toBe(SPAN_ID);
  });

  it('prefers a valid single header over the multi headers', () => {
    const context = extract({
      b3: `${TRACE_ID}-${SPAN_ID}-1`,
      'x-b3-traceid': TRACE_ID,
      'x-b3-spanid': PARENT,
    });
    expect(trace.getSpanContext(context)?.spanId).toBe(SPAN_ID);
  });
});

describe('B3 multiple headers ("Multiple Headers")', () => {
  it('reads trace id, span id, parent and sampled', () => {
    const context = extract({
      'x-b3-traceid': TRACE_ID,
      'x-b3-spanid': SPAN_ID,
      'x-b3-parentspanid': PARENT,
      'x-b3-sampled': '1',
    });
    expect(trace.getSpanContext(context)).toMatchObject({ traceId: TRACE_ID, traceFlags: 1 });
  });

  it('accepts the legacy true/false of X-B3-Sampled ("Sampling State")', () => {
    const headers = { 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID };
    expect(trace.getSpanContext(extract({ ...headers, 'x-b3-sampled': 'true' }))?.traceFlags).toBe(
      1,
    );
    expect(trace.getSpanContext(extract({ ...headers, 'x-b3-sampled': 'false' }))?.traceFlags).toBe(
      0,
    );
  });

  it('reads X-B3-Flags: 1 as debug, which implies accept ("Debug Flag")', () => {
    const context = extract({
      'x-b3-traceid': TRACE_ID,
      'x-b3-spanid': SPAN_ID,
      'x-b3-flags': '1',
    });
    expect(trace.getSpanContext(context)?.traceFlags).toBe(1);
    expect(isB3Debug(context)).toBe(true);
  });

  it('turns sampled or flags without ids into a sampling hint', () => {
    expect(getSamplingHint(extract({ 'x-b3-sampled': '0' }))).toEqual({
      sampled: false,
      debug: false,
    });
    expect(getSamplingHint(extract({ 'x-b3-flags': '1' }))).toEqual({ sampled: true, debug: true });
  });

  it.each([
    ['a missing span id', { 'x-b3-traceid': TRACE_ID }],
    ['uppercase hex', { 'x-b3-traceid': TRACE_ID.toUpperCase(), 'x-b3-spanid': SPAN_ID }],
    [
      'a malformed parent',
      { 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID, 'x-b3-parentspanid': 'x' },
    ],
  ])('rejects %s', (_name, headers) => {
    const context = extract(headers);
    expect(trace.getSpanContext(context)).toBeUndefined();
    expect(getSamplingHint(context)).toBeUndefined();
  });
});

describe('B3 inject', () => {
  const context = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    traceFlags: 1,
  });

  it('writes the single header, or the multi headers', () => {
    const a: Record<string, string> = {};
    single.inject(context, a, defaultTextMapSetter);
    expect(a).toEqual({ b3: `${TRACE_ID}-${SPAN_ID}-1` });
    const b: Record<string, string> = {};
    multi.inject(context, b, defaultTextMapSetter);
    expect(b).toEqual({ 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID, 'x-b3-sampled': '1' });
  });

  it('keeps the debug flag through a round trip in both encodings', () => {
    for (const propagator of [single, multi]) {
      const carrier: Record<string, string> = {};
      const extracted = extract({ b3: `${TRACE_ID}-${SPAN_ID}-d` });
      propagator.inject(extracted, carrier, defaultTextMapSetter);
      const again = propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
      expect(isB3Debug(again)).toBe(true);
      expect(carrier['x-b3-sampled']).toBeUndefined();
    }
  });

  it('passes a sampling-only decision on while no span exists', () => {
    const hinted = setSamplingHint(ROOT_CONTEXT, { sampled: false });
    const a: Record<string, string> = {};
    single.inject(hinted, a, defaultTextMapSetter);
    expect(a).toEqual({ b3: '0' });
    const b: Record<string, string> = {};
    multi.inject(
      setSamplingHint(ROOT_CONTEXT, { sampled: true, debug: true }),
      b,
      defaultTextMapSetter,
    );
    expect(b).toEqual({ 'x-b3-flags': '1' });
  });

  it('writes nothing when tracing is suppressed', () => {
    const carrier: Record<string, string> = {};
    single.inject(suppressTracing(context), carrier, defaultTextMapSetter);
    multi.inject(suppressTracing(context), carrier, defaultTextMapSetter);
    expect(carrier).toEqual({});
  });

  it('validates again the ids of an extracted span context that were reassigned', () => {
    const extracted = single.extract(
      ROOT_CONTEXT,
      { b3: `${TRACE_ID}-${SPAN_ID}-1` },
      defaultTextMapGetter,
    );
    const spanContext = trace.getSpanContext(extracted)!;
    expect({ ...spanContext }).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 1,
      isRemote: true,
    });
    spanContext.traceId = TRACE_ID.toUpperCase();
    const carrier: Record<string, string> = {};
    single.inject(extracted, carrier, defaultTextMapSetter);
    expect(carrier).toEqual({});
  });

  it('lists the fields of its encoding', () => {
    expect(single.fields()).toEqual(['b3']);
    expect(multi.fields()).toHaveLength(4);
  });
});

describe('B3 never throws (OTel API "Error handling": API methods MUST NOT throw)', () => {
  const boom = () => {
    throw new Error('boom');
  };
  it.each([
    ['single', true],
    ['multi', false],
  ])('%s: for a span, setter or getter that throws', (_, single) => {
    const propagator = new B3Propagator({ injectEncoding: single ? 'single' : 'multi' });
    const span = trace.setSpan(ROOT_CONTEXT, { spanContext: boom } as never);
    expect(() => propagator.inject(span, {}, defaultTextMapSetter)).not.toThrow();
    const valid = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '80f198ee56343ba864fe8b2a57d3eff7',
      spanId: 'e457b5a2e4d86bd1',
      traceFlags: 1,
    });
    expect(() => propagator.inject(valid, {}, { set: boom })).not.toThrow();
    expect(propagator.extract(ROOT_CONTEXT, {}, { get: boom, keys: () => [] })).toBe(ROOT_CONTEXT);
  });
});
