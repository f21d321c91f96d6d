// OTLP encoding of a 512-span batch (5 attributes a span): spanlite's hand-written encoders, from
// the built @spanlite/exporters, against @opentelemetry/otlp-transformer's serializers, in one
// process, on the same span objects.
//
// Two batches, each encoded by all four encoders:
// - `core`: 512 spans recorded by @spanlite/core's TracerProvider (64 traces of a SERVER root and
//   7 children, ended children first, as a BatchSpanProcessor would hand them over), collected by
//   a span processor. Core's spans draw their ids on the first `spanContext()` read and build the
//   `attributes` object on the first read after end; the bench reads both (and the parent's
//   context) once before any timing, so neither side pays that one-off work. The times and the
//   status are getters that compute on every read, for both sides alike.
// - `plain`: plain objects of the same shape (the fixture of earlier runs); ids are separate
//   string objects per span.
//
// Timing: mitata `measure`. One encode of a whole 512-span batch takes 0.1–4 ms, so mitata times
// one call per sample (batch_threshold 0: never several calls per sample); warmup_threshold
// Infinity makes it warm up every case, after an explicit warm-up of 200 calls. The eight cases
// run in interleaved rounds (A B C D ..., A B C D ...) so that drift in a shared machine colours
// all of them alike. Reported: the median over rounds of each round's p50 (ns/span), the same for
// the mean (which includes the garbage collections a case causes), and the ratio per round
// (reference p50 / spanlite p50, min–median–max over rounds).

import { loadavg } from 'node:os';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { TracerProvider } from '@spanlite/core';
import { encodeJsonTraceRequest, encodeProtobufTraceRequest } from '@spanlite/exporters';
import { do_not_optimize, measure } from 'mitata';

const BATCH = 512;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const MIN_CPU_TIME_NS = Number(process.env.BENCH_MIN_CPU_MS ?? 300) * 1e6;
const MEASURE_OPTIONS = {
  min_cpu_time: MIN_CPU_TIME_NS,
  batch_threshold: 0,
  warmup_threshold: Number.POSITIVE_INFINITY,
};

function attributesOf(i) {
  return {
    'http.request.method': 'GET',
    'http.route': '/api/items/:id',
    'http.response.status_code': 200,
    'server.address': 'example.com',
    'app.cache_hit': i % 2 === 0,
  };
}

/** The same keys with a value of its own for every span (but the boolean), and a name of its own. */
function uniqueAttributesOf(i) {
  return {
    'http.request.method': `GET${i}`,
    'http.route': `/api/items/${i}`,
    'http.response.status_code': 1000 + i,
    'server.address': `host-${i}.example.com`,
    'app.cache_hit': i % 2 === 0,
  };
}

/** 512 spans from core's TracerProvider, in the order they ended, with lazily made state primed. */
function coreSpans(unique) {
  const attributes = unique ? uniqueAttributesOf : attributesOf;
  const nameOf = unique ? (i) => `GET /api/items/${i}` : (i) => `GET /api/items/${i % 16}`;
  const finished = [];
  const provider = new TracerProvider({
    env: {},
    serviceName: 'bench',
    resource: { 'service.version': '1.0.0' },
    spanProcessors: [
      {
        onStart() {},
        onEnd(span) {
          finished.push(span);
        },
        forceFlush: () => Promise.resolve(),
        shutdown: () => Promise.resolve(),
      },
    ],
  });
  const tracer = provider.getTracer('@spanlite/bench', '1.0.0');
  for (let t = 0; t < BATCH / 8; t++) {
    const root = tracer.startSpan(nameOf(t * 8), { kind: 1, attributes: attributes(t * 8) });
    const parent = trace.setSpan(ROOT_CONTEXT, root);
    for (let c = 1; c < 8; c++) {
      tracer
        .startSpan(
          `GET /api/items/${(t + c) % 16}`,
          { attributes: attributesOf(t * 8 + c) },
          parent,
        )
        .end();
    }
    root.end();
  }
  for (const span of finished) {
    span.spanContext();
    span.parentSpanContext?.spanId;
    span.attributes;
  }
  return finished;
}

function hex(bytes, seed) {
  let out = '';
  for (let i = 0; i < bytes; i++)
    out += ((seed * 131 + i * 29 + 7) & 255).toString(16).padStart(2, '0');
  return out;
}

/** The plain-object batch of earlier runs (spanlite's FinishedSpan is the reference's ReadableSpan). */
function plainSpans() {
  const resource = {
    attributes: {
      'service.name': 'bench',
      'service.version': '1.0.0',
      'telemetry.sdk.language': 'nodejs',
    },
    schemaUrl: undefined,
  };
  const scope = { name: '@spanlite/bench', version: '1.0.0' };
  return Array.from({ length: BATCH }, (_, i) => {
    const context = { traceId: hex(16, i >> 3), spanId: hex(8, i), traceFlags: 1 };
    const parent =
      i % 8 === 0 ? undefined : { traceId: context.traceId, spanId: hex(8, i - 1), traceFlags: 1 };
    const start = [1_700_000_000 + (i >> 4), (i * 1_000_003) % 1e9];
    return {
      name: `GET /api/items/${i % 16}`,
      kind: i % 8 === 0 ? 1 : 0,
      spanContext: () => context,
      parentSpanContext: parent,
      startTime: start,
      endTime: [start[0], start[1] + 250_000 > 999_999_999 ? start[1] : start[1] + 250_000],
      duration: [0, 250_000],
      status: { code: 0 },
      attributes: attributesOf(i),
      links: [],
      events: [],
      ended: true,
      resource,
      instrumentationScope: scope,
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    };
  });
}

const batches = {
  core: coreSpans(false),
  plain: plainSpans(),
  'core, unique values': coreSpans(true),
};
for (const spans of Object.values(batches)) {
  if (spans.length !== BATCH) throw new Error(`expected ${BATCH} spans, got ${spans.length}`);
}

const cases = [];
for (const [batch, spans] of Object.entries(batches)) {
  cases.push(
    [batch, 'protobuf', 'spanlite', () => encodeProtobufTraceRequest(spans)],
    [batch, 'protobuf', 'otlp-transformer', () => ProtobufTraceSerializer.serializeRequest(spans)],
    [batch, 'json', 'spanlite', () => encodeJsonTraceRequest(spans)],
    [batch, 'json', 'otlp-transformer', () => JsonTraceSerializer.serializeRequest(spans)],
  );
}

/** CPU time of the process (user + system, all threads) in ns: blind to time spent descheduled. */
function cpuNow() {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) * 1e3;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const loadBefore = loadavg();
for (const c of cases) for (let i = 0; i < 200; i++) do_not_optimize(c[3]());

const p50s = cases.map(() => []);
const avgs = cases.map(() => []);
const cpuP50s = cases.map(() => []);
for (let round = 0; round < ROUNDS; round++) {
  for (let c = 0; c < cases.length; c++) {
    const fn = cases[c][3];
    const stats = await measure(() => do_not_optimize(fn()), MEASURE_OPTIONS);
    p50s[c].push(stats.p50);
    avgs[c].push(stats.avg);
    const cpu = await measure(() => do_not_optimize(fn()), { ...MEASURE_OPTIONS, now: cpuNow });
    cpuP50s[c].push(cpu.p50);
  }
}
const loadAfter = loadavg();

const rows = cases.map(([batch, encoding, impl, fn], c) => ({
  batch,
  encoding,
  impl,
  p50: median(p50s[c]) / BATCH,
  avg: median(avgs[c]) / BATCH,
  cpu: median(cpuP50s[c]) / BATCH,
  bytes: fn().length / BATCH,
}));
console.log(
  `${BATCH}-span batches, 5 attributes a span, ${ROUNDS} interleaved rounds; ` +
    `load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ` +
    `${loadAfter.map((l) => l.toFixed(2)).join(' ')} after\n`,
);
console.log(
  '| batch | encoding | implementation | ns/span (wall p50) | ns/span (wall mean) | ns/span (CPU p50) | bytes/span |',
);
console.log('|---|---|---|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.batch} | ${r.encoding} | ${r.impl} | ${r.p50.toFixed(0)} | ${r.avg.toFixed(0)} | ${r.cpu.toFixed(0)} | ${r.bytes.toFixed(1)} |`,
  );
}
console.log('');
const spread = (ours, theirs) => {
  const ratios = theirs.map((t, round) => t / ours[round]).sort((a, b) => a - b);
  return `${ratios[0].toFixed(2)}–${median(ratios).toFixed(2)}–${ratios.at(-1).toFixed(2)}`;
};
for (let c = 0; c < cases.length; c += 2) {
  const [ours, theirs] = [rows[c], rows[c + 1]];
  console.log(
    `${ours.batch}, ${ours.encoding}: spanlite ${(theirs.p50 / ours.p50).toFixed(2)}× faster ` +
      `(wall p50; per round ${spread(p50s[c], p50s[c + 1])}), ` +
      `${(theirs.avg / ours.avg).toFixed(2)}× (wall mean), ` +
      `${(theirs.cpu / ours.cpu).toFixed(2)}× (CPU p50; per round ${spread(cpuP50s[c], cpuP50s[c + 1])}); ` +
      `wire size ${(ours.bytes / theirs.bytes).toFixed(3)}× the reference's`,
  );
}
