// OTLP encoding of a 512-span batch (5 attributes a span): spanlite's hand-written encoders, from
// the built @spanlite/exporters, against @opentelemetry/otlp-transformer's serializers, in one
// process. The four cases are measured in interleaved rounds (A B C D, A B C D, ...) with mitata's
// `measure`, so that drift in the machine colours all of them alike; the figure kept for each is
// the median over rounds of each round's median. Results: ns/span, bytes/span, and ratios.
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { encodeJsonTraceRequest, encodeProtobufTraceRequest } from '@spanlite/exporters';
import { do_not_optimize, measure } from 'mitata';

const BATCH = 512;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

const resource = {
  attributes: {
    'service.name': 'bench',
    'service.version': '1.0.0',
    'telemetry.sdk.language': 'nodejs',
  },
  schemaUrl: undefined,
};
const scope = { name: '@spanlite/bench', version: '1.0.0' };

function hex(bytes, seed) {
  let out = '';
  for (let i = 0; i < bytes; i++)
    out += ((seed * 131 + i * 29 + 7) & 255).toString(16).padStart(2, '0');
  return out;
}

// Spans in the shape both sides read (spanlite's FinishedSpan is the reference's ReadableSpan).
const spans = Array.from({ length: BATCH }, (_, i) => {
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
    attributes: {
      'http.request.method': 'GET',
      'http.route': `/api/items/:id`,
      'http.response.status_code': 200,
      'server.address': 'example.com',
      'app.cache_hit': i % 2 === 0,
    },
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

const cases = [
  ['protobuf', 'spanlite', () => encodeProtobufTraceRequest(spans)],
  ['protobuf', 'otlp-transformer', () => ProtobufTraceSerializer.serializeRequest(spans)],
  ['json', 'spanlite', () => encodeJsonTraceRequest(spans)],
  ['json', 'otlp-transformer', () => JsonTraceSerializer.serializeRequest(spans)],
];

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const samples = cases.map(() => []);
for (let round = 0; round < ROUNDS; round++) {
  for (let c = 0; c < cases.length; c++) {
    const fn = cases[c][2];
    const stats = await measure(() => do_not_optimize(fn()), { min_cpu_time: 300e6 });
    samples[c].push(stats.p50);
  }
}

const rows = cases.map(([encoding, impl, fn], c) => ({
  encoding,
  impl,
  nsPerSpan: median(samples[c]) / BATCH,
  bytesPerSpan: fn().length / BATCH,
}));
console.log(
  `${BATCH}-span batch, 5 attributes a span, ${ROUNDS} interleaved rounds (median of p50s)\n`,
);
console.log('| encoding | implementation | ns/span | bytes/span |');
console.log('|---|---|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.encoding} | ${r.impl} | ${r.nsPerSpan.toFixed(0)} | ${r.bytesPerSpan.toFixed(1)} |`,
  );
}
console.log('');
for (const encoding of ['protobuf', 'json']) {
  const [ours, theirs] = rows.filter((r) => r.encoding === encoding);
  console.log(
    `${encoding}: spanlite is ${(theirs.nsPerSpan / ours.nsPerSpan).toFixed(2)}× faster; ` +
      `wire size ${(ours.bytesPerSpan / theirs.bytesPerSpan).toFixed(3)}× the reference's`,
  );
}
