import {
  baggageEntryMetadataFromString,
  type Context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  ROOT_CONTEXT,
  type TextMapGetter,
  type TextMapPropagator,
  trace,
} from '@opentelemetry/api';
import { getSamplingHint, setSamplingHint } from '@spanlite/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  B3Propagator,
  carrierGetter,
  carrierSetter,
  createTraceState,
  isB3Debug,
  parseTraceState,
  setB3Debug,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '../src/index';
import { baggageProperties, hexId, token, traceStateEntries } from './arbitraries';

const w3c = new W3CTraceContextPropagator();
const baggagePropagator = new W3CBaggagePropagator();
const b3Single = new B3Propagator({ injectEncoding: 'single' });
const b3Multi = new B3Propagator({ injectEncoding: 'multi' });
const ALL: TextMapPropagator[] = [w3c, baggagePropagator, b3Single, b3Multi];

function roundTrip(propagator: TextMapPropagator, context: Context, carrier: unknown): Context {
  propagator.inject(context, carrier, carrierSetter);
  return propagator.extract(ROOT_CONTEXT, carrier, carrierGetter);
}

const carriers = fc.constantFrom<() => unknown>(
  () => ({}),
  () => new Map(),
  () => new Headers(),
);

describe('properties: extract(inject(context)) gives the context back', () => {
  it('W3C Trace Context, for every valid span context and tracestate', () => {
    fc.assert(
      fc.property(
        hexId(32),
        hexId(16),
        fc.integer({ min: 0, max: 3 }),
        traceStateEntries,
        carriers,
        (traceId, spanId, traceFlags, entries, carrier) => {
          let traceState = createTraceState();
          for (let i = entries.length - 1; i >= 0; i--)
            traceState = traceState.set(entries[i]![0], entries[i]![1]);
          const context = trace.setSpanContext(ROOT_CONTEXT, {
            traceId,
            spanId,
            traceFlags,
            traceState: entries.length > 0 ? traceState : undefined,
          });
          const back = trace.getSpanContext(roundTrip(w3c, context, carrier()));
          expect(back).toMatchObject({ traceId, spanId, traceFlags, isRemote: true });
          expect(back?.traceState?.serialize()).toBe(
            entries.length > 0 ? traceState.serialize() : undefined,
          );
        },
      ),
    );
  });

  it('B3 single and multi, with the sampled and debug flags', () => {
    fc.assert(
      fc.property(
        hexId(32),
        hexId(16),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom(b3Single, b3Multi),
        carriers,
        (traceId, spanId, sampled, debug, propagator, carrier) => {
          let context = trace.setSpanContext(ROOT_CONTEXT, {
            traceId,
            spanId,
            traceFlags: sampled || debug ? 1 : 0,
          });
          if (debug) context = setB3Debug(context);
          const back = roundTrip(propagator, context, carrier());
          expect(trace.getSpanContext(back)).toMatchObject({
            traceId,
            spanId,
            traceFlags: sampled || debug ? 1 : 0,
          });
          expect(isB3Debug(back)).toBe(debug);
        },
      ),
    );
  });

  it('B3 sampling-only decisions', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom(b3Single, b3Multi),
        (sampled, debug, propagator) => {
          const hint = { sampled: sampled || debug, debug };
          const back = roundTrip(propagator, setSamplingHint(ROOT_CONTEXT, hint), {});
          expect(getSamplingHint(back)).toEqual(hint);
          expect(trace.getSpanContext(back)).toBeUndefined();
        },
      ),
    );
  });

  it('W3C Baggage, for any Unicode values and valid properties', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.tuple(
            token,
            fc.string({ unit: 'binary', maxLength: 20 }),
            fc.option(baggageProperties),
          ),
          { maxLength: 20, selector: ([key]) => key },
        ),
        carriers,
        (entries, carrier) => {
          const record = Object.create(null) as Record<string, { value: string; metadata?: any }>;
          for (const [key, value, properties] of entries) {
            record[key] = { value };
            if (properties !== null)
              record[key].metadata = baggageEntryMetadataFromString(properties);
          }
          const context = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage(record));
          const back = propagation.getBaggage(roundTrip(baggagePropagator, context, carrier()));
          if (entries.length === 0) {
            expect(back).toBeUndefined();
            return;
          }
          const got = back!
            .getAllEntries()
            .map(([k, e]) => [k, e.value, e.metadata?.toString() ?? null]);
          // Object key order puts integer-like keys first, so compare with the baggage as built.
          const sent = propagation
            .getBaggage(context)!
            .getAllEntries()
            .map(([k, e]) => [k, e.value, e.metadata?.toString() ?? null]);
          expect(got).toEqual(sent);
          expect(got).toHaveLength(entries.length);
        },
      ),
    );
  });

  it('tracestate: parse(serialize(state)) is the state', () => {
    fc.assert(
      fc.property(traceStateEntries, (entries) => {
        const header = entries.map(([k, v]) => `${k}=${v}`).join(',');
        const state = parseTraceState(header);
        expect(state?.serialize()).toBe(header);
        for (const [k, v] of entries) expect(state?.get(k)).toBe(v);
      }),
    );
  });
});

const hostileValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.array(fc.string()),
  fc.anything(),
  // Near-valid headers: a valid one with characters replaced.
  fc
    .tuple(
      fc.constantFrom(
        '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        '80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90',
        'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
        'key1=value1;property1;property2, key2 = value2',
      ),
      fc.array(
        fc.tuple(fc.nat(), fc.constantFrom('-', ',', '=', ';', ' ', '%', 'A', '0', '\t', '')),
        {
          maxLength: 4,
        },
      ),
    )
    .map(([header, edits]) => {
      let out = header;
      for (const [at, c] of edits) {
        const i = at % (out.length + 1);
        out = out.slice(0, i) + c + out.slice(i + 1);
      }
      return out;
    }),
);

const HEADER_NAMES = [
  'traceparent',
  'tracestate',
  'baggage',
  'b3',
  'x-b3-traceid',
  'x-b3-spanid',
  'x-b3-parentspanid',
  'x-b3-sampled',
  'x-b3-flags',
];

describe('properties: extract never throws', () => {
  it('on arbitrary header values, in any carrier', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...HEADER_NAMES), hostileValue),
        fc.constantFrom(...ALL),
        (headers, propagator) => {
          expect(() => propagator.extract(ROOT_CONTEXT, headers, carrierGetter)).not.toThrow();
          const map = new Map(Object.entries(headers));
          expect(() => propagator.extract(ROOT_CONTEXT, map, carrierGetter)).not.toThrow();
        },
      ),
    );
  });

  it('on arbitrary carriers and getters that return anything', () => {
    fc.assert(
      fc.property(
        fc.anything(),
        fc.anything(),
        fc.constantFrom(...ALL),
        (carrier, returned, propagator) => {
          const getter: TextMapGetter = { keys: () => [], get: () => returned as never };
          expect(() => propagator.extract(ROOT_CONTEXT, carrier, getter)).not.toThrow();
          expect(() => propagator.extract(ROOT_CONTEXT, carrier, carrierGetter)).not.toThrow();
          expect(() =>
            propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter as TextMapGetter),
          ).not.toThrow();
        },
      ),
    );
  });

  it('and anything accepted is re-sent in canonical form', () => {
    fc.assert(
      fc.property(hostileValue, (value) => {
        const context = w3c.extract(ROOT_CONTEXT, { traceparent: value }, carrierGetter);
        const spanContext = trace.getSpanContext(context);
        if (spanContext === undefined) return;
        const carrier: Record<string, string> = {};
        w3c.inject(context, carrier, defaultTextMapSetter);
        expect(carrier.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]$/);
      }),
    );
  });
});
