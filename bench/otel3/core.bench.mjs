// bench/src/core.bench.mjs adapted to the OpenTelemetry JS SDK 3.x line (a package of its own, out
// of the workspaces: `npm run bench` here, after `npm run build` at the root; it copies the built
// @spanlite/core afresh, as `install-links` installs it; see bench/RESULTS.md, "Core against the 3.x
// SDK"). The operations and the timing and heap methods are src/core-harness.mjs's. The reference is (@opentelemetry/sdk-trace 3.1.1's TracerProvider, with
// @opentelemetry/api 1.10.0), and, in the same process as a third side, @opentelemetry/sdk-trace-base
// 2.12.1's BasicTracerProvider (npm alias `otel-base-2`, installed with --legacy-peer-deps because
// its peer range is api <1.10; it runs on the same single api 1.10.0 install). Changes from the
// original are marked "3.x:". Set BENCH_NO_V2=1 to leave the 2.12.1 side out.
//
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
import { createRequire } from 'node:module';

// 3.x: sdk-trace 3.x has no BasicTracerProvider; its TracerProvider is the same class (no
// register(), like 2.x's BasicTracerProvider), and BatchSpanProcessor takes one options object
// with `exporter` in it instead of (exporter, config).
//
// 3.x: module loading. @opentelemetry/api 1.10.0 has an exports map: `import` gets its
// dist/index.mjs, `require` its dist/index.cjs (1.9.1 had none: every importer got the CJS build).
// By default the repo's way is kept: spanlite's node ESM entry, sdk-trace 3.x's ESM entry (both
// then use api's ESM instance) and sdk-trace-base 2.12.1, which is CommonJS only (api's CJS
// instance): one installed api, two module instances sharing globals through Symbol.for keys.
// BENCH_CJS=1 loads every side through require (spanlite's dist/node/index.cjs, sdk-trace's
// dist/index.cjs): one api module instance in the process. BENCH_NO_V2=1 leaves 2.12.1 out and
// does not load it at all.
const require = createRequire(import.meta.url);
const CJS = process.env.BENCH_CJS === '1';
const NO_V2 = process.env.BENCH_NO_V2 === '1';
const load = (name) => (CJS ? require(name) : import(name));
const { context, trace } = await load('@opentelemetry/api');
const {
  BatchSpanProcessor: Ref3BatchSpanProcessor,
  ParentBasedSampler: Ref3ParentBasedSampler,
  TraceIdRatioBasedSampler: Ref3TraceIdRatioBasedSampler,
  TracerProvider: Ref3TracerProvider,
} = await load('@opentelemetry/sdk-trace');
const {
  BasicTracerProvider,
  BatchSpanProcessor: RefBatchSpanProcessor,
  ParentBasedSampler: RefParentBasedSampler,
  TraceIdRatioBasedSampler: RefTraceIdRatioBasedSampler,
} = NO_V2 ? {} : require('otel-base-2');
const { BatchSpanProcessor, TracerProvider } = await load('@spanlite/core');

import { do_not_optimize } from 'mitata';
import {
  BSP_SETTINGS,
  CASES_BY_SAMPLER,
  comparisonCells,
  countingExporter,
  HEAP_OPS,
  HEAP_SAMPLES,
  median,
  operations,
  profileSpanlite,
  registerOnly,
  runPhase,
  SPANS_PER_OP,
  stopGcObserver,
} from '../src/core-harness.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Operations per mitata sample: at most 2048 spans between two flushes. */
const PROFILE = process.env.CORE_BENCH_PROFILE === '1';
// 3.x: the sides timed, in this order in every round.
const ROTATE = process.env.BENCH_ROTATE === '1';
const SIDES = NO_V2 ? ['spanlite', 'ref3'] : ['spanlite', 'ref3', 'ref2'];

/** A spanlite and a reference provider with the same sampler, processor and exporter settings. */
function makeSides(samplerName) {
  const slExporter = countingExporter();
  const refExporter = countingExporter();
  const ref3Exporter = countingExporter();
  const spanlite = new TracerProvider({
    env: {},
    sampler: samplerName,
    ratio: 0,
    spanProcessors: [new BatchSpanProcessor(slExporter, { ...BSP_SETTINGS, env: {} })],
  });
  const reference = NO_V2
    ? { forceFlush: () => Promise.resolve() }
    : new BasicTracerProvider({
        sampler:
          samplerName === 'parentbased_traceidratio'
            ? new RefParentBasedSampler({ root: new RefTraceIdRatioBasedSampler(0) })
            : undefined,
        spanProcessors: [new RefBatchSpanProcessor(refExporter, BSP_SETTINGS)],
      });
  // 3.x: the same settings for the 3.x TracerProvider (its default sampler is also
  // ParentBased(AlwaysOn)).
  const ref3 = new Ref3TracerProvider({
    sampler:
      samplerName === 'parentbased_traceidratio'
        ? new Ref3ParentBasedSampler({ root: new Ref3TraceIdRatioBasedSampler(0) })
        : undefined,
    spanProcessors: [new Ref3BatchSpanProcessor({ exporter: ref3Exporter, ...BSP_SETTINGS })],
  });
  const providers = { spanlite, ref3, ref2: reference };
  const exporters = { spanlite: slExporter, ref3: ref3Exporter, ref2: refExporter };
  // 3.x: every side's provider is flushed, timed or not.
  const flush = () =>
    Promise.all([spanlite.forceFlush(), reference.forceFlush(), ref3.forceFlush()]);
  return {
    spanlite,
    reference,
    ref3,
    slExporter,
    refExporter,
    ref3Exporter,
    providers,
    exporters,
    flush,
  };
}

// ---- run ----

if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc (see run.mjs)');

const phases = CASES_BY_SAMPLER.map(([sampler, names]) => ({ sides: makeSides(sampler), names }));

if (PROFILE) await profileSpanlite(phases, { trace, context });

const results = new Map();
// 3.x: @opentelemetry/api 1.10.0 has an exports map, so ESM importers (this file, spanlite's node
// build, sdk-trace 3.x) load its dist/index.mjs and CommonJS ones (sdk-trace-base 2.12.1) its
// dist/index.cjs: one installed copy, two module instances, which share their globals through
// Symbol.for keys on globalThis. Checked here: all sides see the one context manager that
// spanlite registered, and every side's span is the active one inside its startActiveSpan.
// (Not loaded for the check when nothing else loads it: BENCH_NO_V2=1 without BENCH_CJS=1.)
const apiCjs = CJS || !NO_V2 ? require('@opentelemetry/api') : undefined;
function checkSharedGlobals(sides) {
  for (const side of SIDES) {
    sides.providers[side].getTracer('check').startActiveSpan('p', (span) => {
      if (trace.getActiveSpan() !== span || (apiCjs && apiCjs.trace.getActiveSpan() !== span))
        throw new Error(`${side}: its span is not the active one through both api instances`);
      span.end();
    });
  }
  if (apiCjs && apiCjs.context.active() !== context.active())
    throw new Error('api instances disagree');
}
for (const { sides, names } of phases) {
  registerOnly({ trace, context }, sides.spanlite);
  checkSharedGlobals(sides);
  await sides.flush();
  for (const side of SIDES) sides.exporters[side].exported = 0; // the check's spans
  const impls = {};
  for (const side of SIDES)
    impls[side] = operations(sides.providers[side].getTracer('bench', '1.0.0'));
  await runPhase({
    names,
    sides: SIDES,
    impls,
    flush: sides.flush,
    exported: (side) => sides.exporters[side].exported,
    rounds: ROUNDS,
    // 3.x: BENCH_ROTATE=1 rotates the order of the sides by one each round (a check on order
    // effects; off by default, as in the original).
    order: (round) => {
      const shift = ROTATE ? round % SIDES.length : 0;
      return [...SIDES.slice(shift), ...SIDES.slice(0, shift)];
    },
    results,
  });
}

const fmt = (n, digits = 0) => n.toFixed(digits);
const LABEL = {
  ref3: '@opentelemetry/sdk-trace 3.1.1',
  ref2: '@opentelemetry/sdk-trace-base 2.12.1',
};
const apiFiles = Object.keys(require.cache).filter((f) =>
  f.endsWith('/@opentelemetry/api/dist/index.cjs'),
);
console.log(
  `modules: ${CJS ? 'all CommonJS (one api instance)' : NO_V2 ? 'ESM (one api instance, ESM)' : 'ESM where available (api ESM + CJS instances)'}; api CJS entries loaded: ${apiFiles.length}; node ${process.version}`,
);
console.log(
  `${ROUNDS} interleaved rounds (order ${SIDES.join(', ')}${ROTATE ? ', rotated each round' : ''}), mitata p50 and average (median over rounds); heap: median of ${HEAP_SAMPLES} samples of ${HEAP_OPS} ops\n`,
);
for (const ref of SIDES.slice(1)) {
  console.log(`spanlite against ${LABEL[ref]}\n`);
  console.log(
    '| case | spanlite ns/span p50 (avg) | reference ns/span p50 (avg) | speed-up p50 (avg) | spanlite B/span | reference B/span | heap ratio | clean heap samples |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---|');
  for (const { names } of phases) {
    for (const name of names) {
      const ours = results.get(`${name}|spanlite`);
      const theirs = results.get(`${name}|${ref}`);
      const cells = comparisonCells(name, ours, theirs);
      console.log(`| ${cells.join(' | ')} | ${ours.heap.clean}/${theirs.heap.clean} |`);
    }
  }
  console.log('');
}
if (SIDES.includes('ref2')) {
  console.log('3.1.1 against 2.12.1 (ratio > 1: 3.x costs more)\n');
  console.log(
    '| case | 3.x ns/span p50 | 2.x ns/span p50 | 3.x/2.x p50 | per-round 3.x/2.x p50 min–max | 3.x B/span | 2.x B/span | 3.x/2.x heap |',
  );
  console.log('|---|---:|---:|---:|---|---:|---:|---:|');
  for (const { names } of phases) {
    for (const name of names) {
      const per = SPANS_PER_OP[name];
      const a = results.get(`${name}|ref3`);
      const b = results.get(`${name}|ref2`);
      const perRound = a.p50.map((v, i) => v / b.p50[i]);
      console.log(
        `| ${name} | ${fmt(median(a.p50) / per)} | ${fmt(median(b.p50) / per)} | ${fmt(median(a.p50) / median(b.p50), 2)} | ${fmt(Math.min(...perRound), 2)}–${fmt(Math.max(...perRound), 2)} | ${fmt(a.heap.bytes / per)} | ${fmt(b.heap.bytes / per)} | ${fmt(a.heap.bytes / b.heap.bytes, 2)} |`,
      );
    }
  }
  console.log('');
}
// Per-round p50 speed-ups (spanlite against each reference), to show the spread.
console.log('per-round p50 speed-ups:');
for (const { names } of phases) {
  for (const name of names) {
    const ours = results.get(`${name}|spanlite`).p50;
    const parts = SIDES.slice(1).map(
      (ref) =>
        `${ref}: ${results
          .get(`${name}|${ref}`)
          .p50.map((v, i) => fmt(v / ours[i], 1))
          .join(' ')}`,
    );
    console.log(`  ${name}: ${parts.join(' | ')}`);
  }
}
stopGcObserver();
do_not_optimize(results);
