// Extract and inject of W3C traceparent + tracestate, W3C baggage and a B3 single header:
// spanlite's propagators, from the built @spanlite/propagation, against the reference ones
// (@opentelemetry/core's W3CTraceContextPropagator and W3CBaggagePropagator,
// @opentelemetry/propagator-b3's B3Propagator), in one process. Both sides read and write the same
// plain-object carrier through @opentelemetry/api's default getter and setter, so only the
// propagators differ. The cases are measured in interleaved rounds (A B A B ...) with mitata's
// `measure`; the figure kept for each is the median over rounds of each round's p50.
//
// The reference TraceState parses lazily, on first read; spanlite's validates on extract (the whole
// header is discarded when invalid, which needs a parse). So "extract" here also reads one
// tracestate key, the least a tracer does with it (it copies it into the child span, which the
// reference then parses on inject).
import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  ROOT_CONTEXT,
  trace,
} from '@opentelemetry/api';
import {
  W3CBaggagePropagator as RefBaggage,
  W3CTraceContextPropagator as RefW3C,
} from '@opentelemetry/core';
import { B3InjectEncoding, B3Propagator as RefB3 } from '@opentelemetry/propagator-b3';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { TracerProvider } from '@spanlite/core';
import {
  B3Propagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@spanlite/propagation';
import { do_not_optimize, measure } from 'mitata';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
// Time whole batches of calls, always: by default mitata falls back to timing single calls when one
// call is slow (a cold first call is), and then the clock read dominates a sub-microsecond operation.
const MEASURE_OPTIONS = {
  min_cpu_time: 200e6,
  warmup_threshold: Number.POSITIVE_INFINITY,
  batch_threshold: Number.POSITIVE_INFINITY,
};

const w3cHeaders = {
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
};
const baggageHeaders = { baggage: 'userId=alice,serverNode=DF%2028,isProduction=false' };
const b3Headers = { b3: '80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90' };

const impls = {
  spanlite: {
    w3c: new W3CTraceContextPropagator(),
    baggage: new W3CBaggagePropagator(),
    b3: new B3Propagator({ injectEncoding: 'single' }),
  },
  reference: {
    w3c: new RefW3C(),
    baggage: new RefBaggage(),
    b3: new RefB3({ injectEncoding: B3InjectEncoding.SINGLE_HEADER }),
  },
};

function extractW3C(p) {
  const context = p.extract(ROOT_CONTEXT, w3cHeaders, defaultTextMapGetter);
  return trace.getSpanContext(context).traceState.get('congo');
}

// Each side injects the context its own extract produced (its own TraceState implementation).
const w3cContexts = {
  spanlite: impls.spanlite.w3c.extract(ROOT_CONTEXT, w3cHeaders, defaultTextMapGetter),
  reference: impls.reference.w3c.extract(ROOT_CONTEXT, w3cHeaders, defaultTextMapGetter),
};
const baggageContexts = {
  spanlite: impls.spanlite.baggage.extract(ROOT_CONTEXT, baggageHeaders, defaultTextMapGetter),
  reference: impls.reference.baggage.extract(ROOT_CONTEXT, baggageHeaders, defaultTextMapGetter),
};
const b3Contexts = {
  spanlite: impls.spanlite.b3.extract(ROOT_CONTEXT, b3Headers, defaultTextMapGetter),
  reference: impls.reference.b3.extract(ROOT_CONTEXT, b3Headers, defaultTextMapGetter),
};
// The common case: a span each side's own tracer started (sampled, no tracestate).
const spanContexts = {
  spanlite: trace.setSpan(ROOT_CONTEXT, new TracerProvider().getTracer('bench').startSpan('out')),
  reference: trace.setSpan(
    ROOT_CONTEXT,
    new BasicTracerProvider().getTracer('bench').startSpan('out'),
  ),
};
// A span context neither side made (another tracer's, or one a user built): both validate its ids.
const foreignContext = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: '80f198ee56343ba864fe8b2a57d3eff7',
  spanId: 'e457b5a2e4d86bd1',
  traceFlags: 1,
});

const cases = [];
for (const name of ['spanlite', 'reference']) {
  const p = impls[name];
  cases.push(
    ['traceparent+tracestate extract', name, () => extractW3C(p.w3c)],
    [
      'traceparent+tracestate inject',
      name,
      () => {
        const carrier = {};
        p.w3c.inject(w3cContexts[name], carrier, defaultTextMapSetter);
        return carrier;
      },
    ],
    [
      'baggage extract',
      name,
      () =>
        propagation.getBaggage(
          p.baggage.extract(ROOT_CONTEXT, baggageHeaders, defaultTextMapGetter),
        ),
    ],
    [
      'baggage inject',
      name,
      () => {
        const carrier = {};
        p.baggage.inject(baggageContexts[name], carrier, defaultTextMapSetter);
        return carrier;
      },
    ],
    ['b3 single extract', name, () => p.b3.extract(ROOT_CONTEXT, b3Headers, defaultTextMapGetter)],
    [
      'b3 single inject',
      name,
      () => {
        const carrier = {};
        p.b3.inject(b3Contexts[name], carrier, defaultTextMapSetter);
        return carrier;
      },
    ],
    [
      'b3 single inject, foreign span context',
      name,
      () => {
        const carrier = {};
        p.b3.inject(foreignContext, carrier, defaultTextMapSetter);
        return carrier;
      },
    ],
    [
      "traceparent inject, own tracer's span",
      name,
      () => {
        const carrier = {};
        p.w3c.inject(spanContexts[name], carrier, defaultTextMapSetter);
        return carrier;
      },
    ],
    [
      "b3 single inject, own tracer's span",
      name,
      () => {
        const carrier = {};
        p.b3.inject(spanContexts[name], carrier, defaultTextMapSetter);
        return carrier;
      },
    ],
    [
      'traceparent inject, foreign span context',
      name,
      () => {
        const carrier = {};
        p.w3c.inject(foreignContext, carrier, defaultTextMapSetter);
        return carrier;
      },
    ],
  );
}
// What any propagator pays through @opentelemetry/api whatever its parsing: reading the carrier
// and putting a span context in a context (extract); reading the span context and writing the
// carrier (inject). Measured in the same rounds and reported alone.
const floors = [
  [
    'api floor: get header, set span context',
    () => {
      defaultTextMapGetter.get(b3Headers, 'b3');
      return trace.setSpanContext(ROOT_CONTEXT, {
        traceId: '80f198ee56343ba864fe8b2a57d3eff7',
        spanId: 'e457b5a2e4d86bd1',
        traceFlags: 1,
        isRemote: true,
      });
    },
  ],
  [
    'api floor: get span context, set header',
    () => {
      const carrier = {};
      defaultTextMapSetter.set(carrier, 'b3', trace.getSpanContext(foreignContext).traceId);
      return carrier;
    },
  ],
];

// Interleave: spanlite and reference of the same operation run back to back in every round.
cases.sort((a, b) => a[0].localeCompare(b[0]) || (a[1] === 'spanlite' ? -1 : 1));

// Both sides must agree on what they compute, or the comparison means nothing.
for (let i = 0; i < cases.length; i += 2) {
  const [ours, theirs] = [cases[i][2](), cases[i + 1][2]()];
  const show = (v) => {
    if (v instanceof Object && 'getAllEntries' in v) return JSON.stringify(v.getAllEntries());
    if (v instanceof Object && 'getValue' in v) {
      // A context: the span context it carries, field by field.
      const { traceId, spanId, traceFlags, isRemote } = trace.getSpanContext(v);
      return JSON.stringify({ traceId, spanId, traceFlags, isRemote });
    }
    return JSON.stringify(v);
  };
  // Spans of the two tracers have different random ids: compare the headers' form instead.
  const form = (text) => text.replace(/[0-9a-f]/g, 'x');
  if (cases[i][0].includes("own tracer's span")) {
    if (form(show(ours)) !== form(show(theirs)))
      throw new Error(`${cases[i][0]}: ${show(ours)} and ${show(theirs)} differ in form`);
    continue;
  }
  if (show(ours) !== show(theirs))
    throw new Error(`${cases[i][0]}: ${show(ours)} !== ${show(theirs)}`);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const samples = cases.map(() => []);
const floorSamples = floors.map(() => []);
for (let round = 0; round < ROUNDS; round++) {
  for (let c = 0; c < cases.length; c++) {
    const fn = cases[c][2];
    const stats = await measure(() => do_not_optimize(fn()), MEASURE_OPTIONS);
    samples[c].push(stats.p50);
  }
  for (let f = 0; f < floors.length; f++) {
    const stats = await measure(() => do_not_optimize(floors[f][1]()), MEASURE_OPTIONS);
    floorSamples[f].push(stats.p50);
  }
}

console.log(`${ROUNDS} interleaved rounds (median of p50s), plain-object carrier\n`);
console.log('| operation | spanlite ns/op | reference ns/op | spanlite faster by |');
console.log('|---|---:|---:|---:|');
for (let c = 0; c < cases.length; c += 2) {
  const ours = median(samples[c]);
  const theirs = median(samples[c + 1]);
  console.log(
    `| ${cases[c][0]} | ${ours.toFixed(0)} | ${theirs.toFixed(0)} | ${(theirs / ours).toFixed(2)}× |`,
  );
}
console.log('');
for (let f = 0; f < floors.length; f++) {
  console.log(`${floors[f][0]}: ${median(floorSamples[f]).toFixed(0)} ns/op`);
}
