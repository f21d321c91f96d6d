// Per-span cost of the built @spanlite/core (node entry) against @opentelemetry/sdk-trace-base's
// BasicTracerProvider, in one process, cases interleaved (spanlite, reference, spanlite, ...).
//
// Set-up, the same on both sides:
// - a BatchSpanProcessor (maxQueueSize 4096, maxExportBatchSize 512, scheduledDelayMillis 60 s,
//   so the timer never fires during a run) in front of a no-op exporter that counts spans and
//   calls back at once;
// - one AsyncLocalStorage context manager, installed as an app would: `provider.register()` of
//   spanlite makes spanlite's AsyncLocalStorageContextManager the global one of @opentelemetry/api.
//   Only one can be global, so the reference reaches that same manager through `api.context`
//   (`active()` is `getStore() ?? ROOT_CONTEXT`, `with()` is `storage.run(ctx, fn)`, the same
//   code as @opentelemetry/context-async-hooks' AsyncLocalStorageContextManager). spanlite keeps a
//   direct reference to the manager it registered, the reference goes through the API's global
//   lookup: that difference is part of what is measured, as it is in an app.
// - the sampled-out case needs a differently configured provider (parentbased_traceidratio with
//   ratio 0 on both sides); globals are unregistered (`trace.disable()`, `context.disable()`) and
//   that provider is registered for its phase.
//
// Queues never overflow: each mitata sample runs BATCH operations synchronously (≤ 2048 spans),
// and before each sample (outside the timed region, through mitata's parameter hook, which it
// awaits) both providers are force-flushed. The no-op exporters' counts are checked at the end
// against the number of operations run. One asymmetry remains: the reference's BatchSpanProcessor
// exports a full batch synchronously inside `onEnd` (so one 512-span no-op export falls inside
// the timed region per sample), spanlite's from a timer (outside it); with a no-op exporter that
// is a few ns per span.
//
// Time: mitata `measure` per case and side, ROUNDS interleaved rounds; reported is the median over
// rounds of each round's p50 and of its average, per operation and per span.
//
// Heap bytes allocated per span: V8 has no allocation counter in Node 20
// (`v8.getHeapStatistics()` lacks `total_allocated_bytes`), so: `gc()`, read
// `process.memoryUsage().heapUsed`, run HEAP_OPS operations, read it again. Without a garbage
// collection in between, the difference is what was allocated. Samples that a collection
// overlapped (seen by a PerformanceObserver on 'gc' entries) are discarded; the median of the rest
// is reported. HEAP_OPS is kept small (the allocation of a sample stays well under the young
// generation) so that most samples are clean.
import { context, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  BatchSpanProcessor as RefBatchSpanProcessor,
  ParentBasedSampler as RefParentBasedSampler,
  TraceIdRatioBasedSampler as RefTraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { BatchSpanProcessor, TracerProvider } from '@spanlite/core';
import { do_not_optimize } from 'mitata';
import {
  BSP_SETTINGS,
  CASES_BY_SAMPLER,
  comparisonCells,
  countingExporter,
  HEAP_OPS,
  HEAP_SAMPLES,
  operations,
  profileSpanlite,
  registerOnly,
  runPhase,
  stopGcObserver,
} from './core-harness.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PROFILE = process.env.CORE_BENCH_PROFILE === '1';

/** A spanlite and a reference provider with the same sampler, processor and exporter settings. */
function makeSides(samplerName) {
  const slExporter = countingExporter();
  const refExporter = countingExporter();
  const spanlite = new TracerProvider({
    env: {},
    sampler: samplerName,
    ratio: 0,
    spanProcessors: [new BatchSpanProcessor(slExporter, { ...BSP_SETTINGS, env: {} })],
  });
  const reference = new BasicTracerProvider({
    sampler:
      samplerName === 'parentbased_traceidratio'
        ? new RefParentBasedSampler({ root: new RefTraceIdRatioBasedSampler(0) })
        : undefined,
    spanProcessors: [new RefBatchSpanProcessor(refExporter, BSP_SETTINGS)],
  });
  return { spanlite, reference, slExporter, refExporter };
}

// ---- run ----

if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc (see run.mjs)');

const phases = CASES_BY_SAMPLER.map(([sampler, names]) => ({ sides: makeSides(sampler), names }));

if (PROFILE) await profileSpanlite(phases, { trace, context });

const results = new Map();
const SIDES = ['spanlite', 'reference'];
for (const { sides, names } of phases) {
  registerOnly({ trace, context }, sides.spanlite);
  const impls = {
    spanlite: operations(sides.spanlite.getTracer('bench', '1.0.0')),
    reference: operations(sides.reference.getTracer('bench', '1.0.0')),
  };
  const exporters = { spanlite: sides.slExporter, reference: sides.refExporter };
  await runPhase({
    names,
    sides: SIDES,
    impls,
    flush: () => Promise.all([sides.spanlite.forceFlush(), sides.reference.forceFlush()]),
    exported: (side) => exporters[side].exported,
    rounds: ROUNDS,
    order: () => SIDES,
    results,
  });
}

console.log(
  `${ROUNDS} interleaved rounds, mitata p50 and average (median over rounds); heap: median of ${HEAP_SAMPLES} samples of ${HEAP_OPS} ops\n`,
);
console.log(
  '| case | spanlite ns/span p50 (avg) | reference ns/span p50 (avg) | speed-up p50 (avg) | spanlite B/span | reference B/span | heap ratio |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const { names } of phases) {
  for (const name of names) {
    const cells = comparisonCells(
      name,
      results.get(`${name}|spanlite`),
      results.get(`${name}|reference`),
    );
    console.log(`| ${cells.join(' | ')} |`);
  }
}
stopGcObserver();
do_not_optimize(results);
