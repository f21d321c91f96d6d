// The measured operations and the timing and heap methods of the core bench, shared by
// src/core.bench.mjs (against @opentelemetry/sdk-trace-base 2.x) and otel3/core.bench.mjs
// (against the 3.x SDK); see the comment at the top of src/core.bench.mjs for the method.
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { measure } from 'mitata';

export const MIN_CPU_TIME_NS = Number(process.env.BENCH_MIN_CPU_MS ?? 300) * 1e6;
/** Operations per mitata sample: at most 2048 spans between two flushes. */
export const BATCH = 1024;
export const HEAP_OPS = 128;
export const HEAP_SAMPLES = Number(process.env.BENCH_HEAP_SAMPLES ?? 41);

export const ATTRIBUTE_VALUES = ['GET', '/users/:id', 200, true, 'example.com'];

/** The operations measured; each returns the number of spans it made. */
export function operations(tracer) {
  return {
    'startSpan + end': () => {
      tracer.startSpan('op').end();
    },
    'startSpan with 5 attributes + end': () => {
      tracer
        .startSpan('op', {
          attributes: {
            'http.request.method': ATTRIBUTE_VALUES[0],
            'http.route': ATTRIBUTE_VALUES[1],
            'http.response.status_code': ATTRIBUTE_VALUES[2],
            'app.cache_hit': ATTRIBUTE_VALUES[3],
            'server.address': ATTRIBUTE_VALUES[4],
          },
        })
        .end();
    },
    'startActiveSpan with a child': () => {
      tracer.startActiveSpan('parent', (span) => {
        tracer.startSpan('child').end();
        span.end();
      });
    },
    'sampled-out span (ratio 0)': () => {
      tracer.startSpan('op').end();
    },
  };
}
export const SPANS_PER_OP = {
  'startSpan + end': 1,
  'startSpan with 5 attributes + end': 1,
  'startActiveSpan with a child': 2,
  'sampled-out span (ratio 0)': 1,
};

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// ---- timing ----

/** Times `op` with mitata in whole batches, calling `flush` before every `flushEveryCall`-th. */
export function makeRunner(flush, op, flushEveryCall) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    async time() {
      // mitata times whole batches only when a first, single call is fast; a cold call makes it
      // time single calls (timer-bound). Measure again until it batched.
      for (let attempt = 0; ; attempt++) {
        const stats = await this._measure();
        if (stats.ticks === stats.samples.length * BATCH || attempt === 3) return stats;
      }
    },
    async _measure() {
      const stats = await measure(
        function* () {
          yield {
            // mitata calls this once per operation, before each timed batch, and awaits a Promise.
            [0]() {
              return calls++ % flushEveryCall === 0 ? flush() : 0;
            },
            bench(_) {
              op();
            },
          };
        },
        {
          batch_samples: BATCH,
          batch_unroll: 1,
          min_cpu_time: MIN_CPU_TIME_NS,
          // Always time whole batches: one cold call must not switch mitata to timing single
          // calls, where the clock read costs more than a dropped span.
          warmup_threshold: Number.POSITIVE_INFINITY,
          batch_threshold: Number.POSITIVE_INFINITY,
        },
      );
      return stats;
    },
  };
}

export async function warm(op, flush) {
  for (let i = 0; i < 20; i++) {
    for (let j = 0; j < BATCH; j++) op();
    await flush();
  }
}

// ---- heap ----

const gcEntries = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    gcEntries.push([entry.startTime, entry.startTime + entry.duration]);
});
gcObserver.observe({ entryTypes: ['gc'] });

/** Heap bytes `op` allocates: the median of clean samples (see src/core.bench.mjs). */
export async function heapPerOp(op, flush) {
  const samples = [];
  for (let s = 0; s < HEAP_SAMPLES; s++) {
    await flush();
    globalThis.gc();
    // Let the observer hear about the collection we just forced before the window opens.
    await new Promise((resolve) => setImmediate(resolve));
    const t0 = performance.now();
    const h0 = process.memoryUsage().heapUsed;
    for (let i = 0; i < HEAP_OPS; i++) op();
    const h1 = process.memoryUsage().heapUsed;
    const t1 = performance.now();
    samples.push({ t0, t1, bytes: (h1 - h0) / HEAP_OPS });
  }
  await new Promise((resolve) => setImmediate(resolve));
  const clean = samples.filter(({ t0, t1 }) => !gcEntries.some(([a, b]) => a < t1 && b > t0));
  return {
    bytes: median((clean.length > 0 ? clean : samples).map((s) => s.bytes)),
    clean: clean.length,
  };
}

/** Stops the collection observer the heap measurement uses, so the process can exit. */
export function stopGcObserver() {
  gcObserver.disconnect();
}

/** The cases, by the sampler their providers run: recorded spans, then sampled-out ones. */
export const CASES_BY_SAMPLER = [
  [
    'parentbased_always_on',
    ['startSpan + end', 'startSpan with 5 attributes + end', 'startActiveSpan with a child'],
  ],
  ['parentbased_traceidratio', ['sampled-out span (ratio 0)']],
];

/**
 * Registers `provider` as spanlite's users do, after unregistering whatever was global in `api`
 * (the bench's own `@opentelemetry/api`).
 */
export function registerOnly(api, provider) {
  api.trace.disable();
  api.context.disable();
  provider.register({ propagator: null });
}

/**
 * CORE_BENCH_PROFILE=1 [CORE_BENCH_CASE=<part of a case name>] node --expose-gc --cpu-prof …:
 * spanlite alone, each case in a tight loop for 3 s, so the profile shows where spanlite's time
 * goes; then the process exits.
 */
export async function profileSpanlite(phases, api) {
  for (const { sides, names } of phases) {
    registerOnly(api, sides.spanlite);
    const ops = operations(sides.spanlite.getTracer('bench'));
    for (const name of names) {
      if (!name.includes(process.env.CORE_BENCH_CASE ?? '')) continue;
      const end = performance.now() + 3000;
      while (performance.now() < end) {
        for (let i = 0; i < BATCH; i++) ops[name]();
        await sides.spanlite.forceFlush();
      }
    }
  }
  process.exit(0);
}

/** The batch processors' settings on every side: the timer never fires during a run. */
export const BSP_SETTINGS = {
  maxQueueSize: 4096,
  maxExportBatchSize: 512,
  scheduledDelayMillis: 60_000,
  exportTimeoutMillis: 30_000,
};

/** A no-op exporter that counts the spans it is given and calls back at once. */
export function countingExporter() {
  return {
    exported: 0,
    export(spans, done) {
      this.exported += spans.length;
      done({ code: 0 });
    },
    shutdown: () => Promise.resolve(),
    forceFlush: () => Promise.resolve(),
  };
}

/**
 * Times one phase's cases on every side: warm-up, `rounds` rounds of mitata samples interleaved
 * case by case (the sides in `order(round)`), then the heap per operation; finally checks that
 * every sampled span of every side was exported (no queue overflowed, warm-up and heap runs
 * included). `impls[side]`: the side's operations; `exported(side)`: its exporter's count.
 * Results go into `results`, keyed `${name}|${side}`.
 */
export async function runPhase({ names, sides, impls, flush, exported, rounds, order, results }) {
  const runners = {};
  for (const name of names) {
    for (const side of sides) {
      await warm(impls[side][name], flush);
      runners[`${name}|${side}`] = makeRunner(flush, impls[side][name], BATCH);
      results.set(`${name}|${side}`, { p50: [], avg: [] });
    }
  }
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      for (const side of order(round)) {
        const stats = await runners[`${name}|${side}`].time();
        results.get(`${name}|${side}`).p50.push(stats.p50);
        results.get(`${name}|${side}`).avg.push(stats.avg);
      }
    }
  }
  for (const name of names) {
    for (const side of sides) {
      const heap = await heapPerOp(impls[side][name], flush);
      Object.assign(results.get(`${name}|${side}`), { heap });
    }
  }
  await flush();
  const sampled = names.every((n) => !n.startsWith('sampled-out'));
  for (const side of sides) {
    let spans = 0;
    for (const name of names) {
      const ops = runners[`${name}|${side}`].calls + 20 * BATCH + HEAP_SAMPLES * HEAP_OPS;
      spans += ops * SPANS_PER_OP[name];
    }
    const want = sampled ? spans : 0;
    if (exported(side) !== want) {
      throw new Error(
        `${side}: ${exported(side)} spans exported, ${want} expected (queue overflow?)`,
      );
    }
  }
}

/**
 * The cells of a table row comparing spanlite (`ours`) with a reference (`theirs`) on case
 * `name`: ns per span (p50, average), the speed-up, heap bytes per span and their ratio.
 */
export function comparisonCells(name, ours, theirs) {
  const fmt = (n, digits = 0) => n.toFixed(digits);
  const per = SPANS_PER_OP[name];
  const [op50, oavg, tp50, tavg] = [
    median(ours.p50),
    median(ours.avg),
    median(theirs.p50),
    median(theirs.avg),
  ];
  const perOp = per === 1 ? '' : ` (per op: ${fmt(op50)} vs ${fmt(tp50)} ns)`;
  return [
    `${name}${perOp}`,
    `${fmt(op50 / per)} (${fmt(oavg / per)})`,
    `${fmt(tp50 / per)} (${fmt(tavg / per)})`,
    `${fmt(tp50 / op50, 2)}× (${fmt(tavg / oavg, 2)}×)`,
    fmt(ours.heap.bytes / per),
    fmt(theirs.heap.bytes / per),
    `${fmt(theirs.heap.bytes / Math.max(ours.heap.bytes, 1), 2)}×`,
  ];
}
