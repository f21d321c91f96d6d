import {
  createTraceState as apiCreateTraceState,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  type SpanContext,
  type TextMapGetter,
  trace,
} from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { suppressTracing } from '../context/suppress-tracing';
import { TracerProvider } from '../trace/tracer-provider';
import { parseTraceParent } from './trace-parent';
import { createTraceState } from './trace-state';
import { W3CTraceContextPropagator } from './w3c-trace-context-propagator';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const propagator = new W3CTraceContextPropagator();

function extract(headers: Record<string, unknown>): SpanContext | undefined {
  return trace.getSpanContext(
    propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter as TextMapGetter),
  );
}

// Citations name sections of W3C Trace Context Level 2, "Traceparent Header" (spec/20-http_request_header_format.md).
describe('parseTraceParent', () => {
  it('reads the examples of "Examples of HTTP traceparent Headers"', () => {
    expect(parseTraceParent(`00-${TRACE_ID}-${SPAN_ID}-01`)).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 1,
    });
    expect(parseTraceParent(`00-${TRACE_ID}-${SPAN_ID}-00`)?.traceFlags).toBe(0);
  });

  it('keeps the Level 2 random flag and zeroes the reserved ones ("trace-flags", "Other Flags")', () => {
    expect(parseTraceParent(`00-${TRACE_ID}-${SPAN_ID}-03`)?.traceFlags).toBe(3);
    expect(parseTraceParent(`00-${TRACE_ID}-${SPAN_ID}-ff`)?.traceFlags).toBe(3);
  });

  it('ignores optional whitespace around the value (RFC 7230 §3.2.4)', () => {
    expect(parseTraceParent(` \t00-${TRACE_ID}-${SPAN_ID}-01 `)?.spanId).toBe(SPAN_ID);
  });

  it.each([
    ['version ff ("Version ff is invalid")', `ff-${TRACE_ID}-${SPAN_ID}-01`],
    [
      'an all-zero trace-id ("trace-id": "All zeroes forbidden")',
      `00-${'0'.repeat(32)}-${SPAN_ID}-01`,
    ],
    ['an all-zero parent-id ("parent-id")', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['uppercase hex (HEXDIGLC)', `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`],
    ['uppercase flags', `00-${TRACE_ID}-${SPAN_ID}-0A`],
    ['uppercase version', `0A-${TRACE_ID}-${SPAN_ID}-01`],
    ['version 00 with more fields (version-format)', `00-${TRACE_ID}-${SPAN_ID}-01-what`],
    ['a short trace-id', `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`],
    ['a long parent-id', `00-${TRACE_ID}-${SPAN_ID}0-01`],
    ['a missing dash', `00-${TRACE_ID}${SPAN_ID}-01-`],
    ['a one-digit flag', `00-${TRACE_ID}-${SPAN_ID}-1`],
    ['a non-hex version ("version prefix cannot be parsed")', `0x-${TRACE_ID}-${SPAN_ID}-01`],
    [
      'a higher version shorter than 55 ("Versioning of traceparent")',
      `01-${TRACE_ID}-${SPAN_ID}-0`,
    ],
    [
      'a higher version not followed by a dash ("Versioning of traceparent")',
      `01-${TRACE_ID}-${SPAN_ID}-01x`,
    ],
    ['an empty value', ''],
  ])('rejects %s', (_name, value) => {
    expect(parseTraceParent(value)).toBeUndefined();
  });

  it('parses a higher version by the forward-compatibility rules ("Versioning of traceparent")', () => {
    expect(parseTraceParent(`cc-${TRACE_ID}-${SPAN_ID}-01`)?.traceId).toBe(TRACE_ID);
    expect(parseTraceParent(`cc-${TRACE_ID}-${SPAN_ID}-01-what-the-future-will-be`)).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 1,
    });
    // Only the sampled bit of a higher version's flags is parsed.
    expect(parseTraceParent(`cc-${TRACE_ID}-${SPAN_ID}-03`)?.traceFlags).toBe(1);
  });
});

describe('W3CTraceContextPropagator', () => {
  it('extracts a remote span context with its tracestate ("Relationship Between the Headers")', () => {
    const spanContext = extract({
      traceparent: `00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01`,
      tracestate: 'congo=t61rcWkgMzE',
    });
    expect(spanContext).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
      isRemote: true,
    });
    expect(spanContext?.traceState?.get('congo')).toBe('t61rcWkgMzE');
  });

  it('drops an invalid tracestate but keeps the traceparent ("Tracestate Header": "MUST NOT affect")', () => {
    const spanContext = extract({
      traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`,
      tracestate: 'Bad=1',
    });
    expect(spanContext?.traceId).toBe(TRACE_ID);
    expect(spanContext?.traceState).toBeUndefined();
  });

  it('ignores tracestate when traceparent is invalid ("Tracestate Header": "MUST NOT attempt to parse")', () => {
    expect(extract({ traceparent: 'nope', tracestate: 'a=1' })).toBeUndefined();
  });

  it('treats several traceparent lines as invalid, and combines tracestate lines', () => {
    const traceparent = `00-${TRACE_ID}-${SPAN_ID}-01`;
    expect(extract({ traceparent: [traceparent, traceparent] })).toBeUndefined();
    expect(extract({ traceparent: `${traceparent}, ${traceparent}` })).toBeUndefined();
    const spanContext = extract({ traceparent: [traceparent], tracestate: ['a=1', 'b=2'] });
    expect(spanContext?.traceState?.serialize()).toBe('a=1,b=2');
  });

  it('injects version 00 with the sampled and random flags only', () => {
    const carrier: Record<string, string> = {};
    const traceState = createTraceState().set('rojo', '00f067aa0ba902b7');
    const context = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 0xff,
      traceState,
    });
    propagator.inject(context, carrier, defaultTextMapSetter);
    expect(carrier).toEqual({
      traceparent: `00-${TRACE_ID}-${SPAN_ID}-03`,
      tracestate: 'rojo=00f067aa0ba902b7',
    });
  });

  it('truncates a long tracestate on inject ("tracestate Limits")', () => {
    let traceState = createTraceState();
    for (let i = 0; i < 10; i++) traceState = traceState.set(`k${i}`, 'v'.repeat(100));
    const context = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 1,
      traceState,
    });
    const carrier: Record<string, string> = {};
    propagator.inject(context, carrier, defaultTextMapSetter);
    expect(carrier.tracestate!.length).toBeLessThanOrEqual(512);
    expect(carrier.tracestate!.startsWith('k9=')).toBe(true);
    const wide = new W3CTraceContextPropagator({ maxTraceStateLength: 4096 });
    wide.inject(context, carrier, defaultTextMapSetter);
    expect(carrier.tracestate).toBe(traceState.serialize());
  });

  it('injects nothing for an invalid span context or when tracing is suppressed', () => {
    const carrier: Record<string, string> = {};
    const valid = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 1,
    });
    propagator.inject(suppressTracing(valid), carrier, defaultTextMapSetter);
    const upper = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: TRACE_ID.toUpperCase(),
      spanId: SPAN_ID,
      traceFlags: 1,
    });
    propagator.inject(upper, carrier, defaultTextMapSetter);
    propagator.inject(ROOT_CONTEXT, carrier, defaultTextMapSetter);
    expect(carrier).toEqual({});
  });

  it('does not throw for a trace state without serialize, and sends no tracestate then (OTel API "Error handling": API methods MUST NOT throw)', () => {
    const spanContext: SpanContext = {
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 1,
      isRemote: true,
      traceState: createTraceState().set('a', '1'),
    };
    const original: Record<string, string> = {};
    propagator.inject(
      trace.setSpanContext(ROOT_CONTEXT, spanContext),
      original,
      defaultTextMapSetter,
    );
    expect(original.tracestate).toBe('a=1');
    // What a span context is after JSON (a worker message, a queue): its trace state a plain object.
    const cloned = JSON.parse(JSON.stringify(spanContext)) as SpanContext;
    const notString = {
      ...spanContext,
      traceState: { ...spanContext.traceState!, serialize: () => 42 },
    };
    for (const sent of [cloned, { ...spanContext, traceState: null }, notString]) {
      const carrier: Record<string, string> = {};
      const context = trace.setSpanContext(ROOT_CONTEXT, sent as SpanContext);
      expect(() => propagator.inject(context, carrier, defaultTextMapSetter)).not.toThrow();
      expect(carrier).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` });
    }
  });

  it('sends only the well-formed members of a trace state made elsewhere ("tracestate Header Field Values")', () => {
    const sent = (traceState: unknown): string | undefined => {
      const spanContext = { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, traceState };
      const carrier: Record<string, string> = {};
      const context = trace.setSpanContext(ROOT_CONTEXT, spanContext as SpanContext);
      propagator.inject(context, carrier, defaultTextMapSetter);
      return carrier.tracestate;
    };
    // @opentelemetry/api's createTraceState checks nothing on set
    let many = apiCreateTraceState();
    for (let i = 33; i >= 1; i--) many = many.set(`k${i}`, 'v');
    // "There can be a maximum of 32 list-members in a list"
    expect(sent(many)?.split(',')).toEqual(Array.from({ length: 32 }, (_, i) => `k${i + 1}=v`));
    const mixed = apiCreateTraceState()
      .set('ok', '1')
      .set('Vendor', 'x') // key = ( lcalpha / DIGIT ) 0*255 ( keychar )
      .set('crlf', '1\r\nx-evil: 1') // value: printable ASCII
      .set('eq', 'a=b')
      .set('trailing', 'x '); // serialized, the space is optional whitespace
    expect(sent(mixed)).toBe('trailing=x,ok=1');
    // a custom trace state's text: malformed and repeated members out, optional whitespace off
    expect(sent({ serialize: () => ' a=1 ,, a=2,b=2,=3,c' })).toBe('a=1,b=2');
    expect(sent({ serialize: () => 'x=\u00e9' })).toBeUndefined();
    // only spaces and tabs are optional whitespace: a line break makes the member malformed
    expect(sent({ serialize: () => 'a=1\r\n,b=2,\u00a0c=3' })).toBe('b=2');
  });

  it('never throws for a trace state, span, setter or getter that throws (OTel API "Error handling": API methods MUST NOT throw)', () => {
    const boom = () => {
      throw new Error('boom');
    };
    const throwingState = {
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 1,
      traceState: { serialize: boom },
    } as unknown as SpanContext;
    const throwingSpan = { spanContext: boom } as never;
    const contexts = [
      trace.setSpanContext(ROOT_CONTEXT, throwingState),
      trace.setSpan(ROOT_CONTEXT, throwingSpan),
    ];
    for (const context of contexts) {
      expect(() => propagator.inject(context, {}, defaultTextMapSetter)).not.toThrow();
    }
    const valid = trace.setSpanContext(ROOT_CONTEXT, { ...throwingState, traceState: undefined });
    expect(() => propagator.inject(valid, {}, { set: boom })).not.toThrow();
    const getter: TextMapGetter = { get: boom, keys: () => [] };
    expect(propagator.extract(ROOT_CONTEXT, {}, getter)).toBe(ROOT_CONTEXT);
  });

  it('validates again the ids of an extracted span context that were reassigned', () => {
    const extracted = propagator.extract(
      ROOT_CONTEXT,
      { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` },
      defaultTextMapGetter,
    );
    const spanContext = trace.getSpanContext(extracted)!;
    expect(Object.keys(spanContext).sort()).toEqual([
      'isRemote',
      'spanId',
      'traceFlags',
      'traceId',
      'traceState',
    ]);
    const carrier: Record<string, string> = {};
    propagator.inject(extracted, carrier, defaultTextMapSetter);
    expect(carrier.traceparent).toBe(`00-${TRACE_ID}-${SPAN_ID}-01`);
    spanContext.spanId = 'not-a-span-id!!!';
    const after: Record<string, string> = {};
    propagator.inject(extracted, after, defaultTextMapSetter);
    expect(after).toEqual({});
    spanContext.spanId = `${SPAN_ID.slice(0, 15)}c`;
    propagator.inject(extracted, after, defaultTextMapSetter);
    expect(after.traceparent).toBe(`00-${TRACE_ID}-${SPAN_ID.slice(0, 15)}c-01`);
  });

  it("sends a span's own ids, and validates them again when its context was altered", () => {
    const span = new TracerProvider().getTracer('test').startSpan('out');
    const context = trace.setSpan(ROOT_CONTEXT, span);
    const { traceId, spanId } = span.spanContext();
    const carrier: Record<string, string> = {};
    propagator.inject(context, carrier, defaultTextMapSetter);
    expect(carrier.traceparent).toMatch(new RegExp(`^00-${traceId}-${spanId}-0[0-3]$`));
    span.spanContext().traceId = traceId.toUpperCase();
    const after: Record<string, string> = {};
    propagator.inject(context, after, defaultTextMapSetter);
    expect(after).toEqual({});
  });

  it('lists its fields', () => {
    expect(propagator.fields()).toEqual(['traceparent', 'tracestate']);
  });
});
