// Cold start: what tracing costs a fresh function instance before its first request is answered.
// Stacks (bench/src/cold-start/*.mjs): spanlite (`registerTracing` of @spanlite/next, defaults),
// the reference OpenTelemetry JS SDK set up by hand (BasicTracerProvider + BatchSpanProcessor +
// OTLP exporter, protobuf and JSON, W3C propagators, an AsyncLocalStorage context manager),
// @vercel/otel's `registerOTel` (when installed), and a baseline without tracing.
//
// Node: each stack in a fresh process (`node --expose-gc cold-start/node-entry.mjs`), all of them
// interleaved (in a shuffled order each round) after one discarded warm-up round. Each entry first
// loads what a Next.js server has loaded anyway (@opentelemetry/api, undici through `Request`),
// then times its stack's `import`, its registration and a first span started and ended through
// the API ("ready"), reads the heap after a full GC, then times `forceFlush` of that span to an
// OTLP/HTTP receiver this process runs on loopback (which checks that every process's span came
// in). Two ways to load each stack: from node_modules as they are (`modules`: what `node` does
// with a package left external, e.g. in `serverExternalPackages`), and `bundled`: the stack's
// module bundled by esbuild into one minified ESM file (@opentelemetry/api left out, the entry has
// it), as `next build` bundles instrumentation.ts and what it imports by default.
//
// Edge: each stack's edge bundle (esbuild, minified, the conditions of Next.js's edge entries,
// @opentelemetry/api bundled in whole in every bundle, the baseline included) evaluated in a fresh
// @edge-runtime/vm EdgeVM (Next.js's edge sandbox; `AsyncLocalStorage` and `process.env` on its
// globals as Next.js puts them), the stacks interleaved as above. Timed from this process:
// compiling and evaluating the bundle's modules, registration, the first span; each bundle gets a
// distinct trailing comment every round so that V8's compilation cache does not serve it (with
// the same source every round it would: about 1 ms instead of 7 for spanlite's bundle). After
// the timing the span is flushed to the receiver (untimed), as a check that the bundle works.
//
// Reported: medians over rounds, min–max beside them; "added" is a stack's figure minus the
// baseline's of the same round. BENCH_ROUNDS (default 20) sets the rounds of both parts,
// BENCH_EDGE_ROUNDS the edge part's alone; BENCH_PARTS=node,edge picks parts;
// BENCH_NODE_MODES=modules,bundled picks the Node part's ways of loading; BENCH_CPU_PROF=<dir>
// adds one `--cpu-prof` process per stack and way after the Node rounds.
import { AsyncLocalStorage } from 'node:async_hooks';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { EdgeVM } from '@edge-runtime/vm';
import { build } from 'esbuild';
import { EDGE_BUILD_OPTIONS } from './edge-build.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const EDGE_ROUNDS = Number(process.env.BENCH_EDGE_ROUNDS ?? ROUNDS);
const PARTS = (process.env.BENCH_PARTS ?? 'node,edge').split(',');
const NODE_MODES = (process.env.BENCH_NODE_MODES ?? 'modules,bundled').split(',');
const CPU_PROF = process.env.BENCH_CPU_PROF;
const DIR = new URL('./cold-start/', import.meta.url);
const ENTRY = fileURLToPath(new URL('node-entry.mjs', DIR));

if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc (see run.mjs)');

function installed(name) {
  try {
    import.meta.resolve(name);
    return true;
  } catch {
    return false;
  }
}

const STACKS = [
  { name: 'baseline', label: 'baseline' },
  { name: 'spanlite', label: 'spanlite' },
  { name: 'reference-proto', label: 'reference, OTLP proto' },
  { name: 'reference-http', label: 'reference, OTLP JSON' },
  { name: 'vercel-otel', label: '@vercel/otel', needs: '@vercel/otel' },
].filter((stack) => {
  if (stack.needs === undefined || installed(stack.needs)) return true;
  console.log(`${stack.needs} is not installed: its stack is left out`);
  return false;
});

/** The folder of the installed package `name` (whose `exports` may hide its package.json). */
function packageDir(name) {
  let dir = dirname(fileURLToPath(import.meta.resolve(name)));
  while (dir !== dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).name === name) return dir;
    dir = dirname(dir);
  }
  throw new Error(`no package.json of ${name}`);
}
const versionOf = (name) =>
  JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')).version;

// ---------------------------------------------------------------------------------------------
// Statistics and printing.

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const ms = (value) => value.toFixed(value >= 100 ? 0 : 1);
const kib = (bytes) => (bytes / 1024).toFixed(bytes >= 100 * 1024 ? 0 : 1);
const kb = (bytes) => (bytes / 1000).toFixed(1);
/** `median (min–max)` of `values`, formatted by `format`. */
function spread(values, format = ms) {
  if (values.length === 0) return '–';
  return `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))})`;
}
function table(header, rows) {
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log('');
}
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/**
 * The stacks in a fresh order each round (a seeded shuffle, the same every run), so that none
 * always runs first, last or after the same other.
 */
const shuffled = (() => {
  let seed = 0x5eed;
  const random = () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (list) => {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
})();

// ---------------------------------------------------------------------------------------------
// The OTLP/HTTP receiver: answers every POST with an empty success (an empty protobuf
// ExportTraceServiceResponse, or `{}` for JSON) and remembers the bodies, to check that each
// process's span, named by its unique service name, came in.

const received = [];
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let body = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    received.push(body);
    const json = (req.headers['content-type'] ?? '').includes('json');
    res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
    res.end(json ? '{}' : '');
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const ENDPOINT = `http://127.0.0.1:${server.address().port}`;
const arrived = (serviceName) => {
  const needle = Buffer.from(serviceName);
  return received.some((body) => body.includes(needle));
};

// ---------------------------------------------------------------------------------------------
// Node: fresh processes.

/** Where the `bundled` way's files go: node_modules/.cache, so that they resolve @opentelemetry/api. */
const CACHE = join(packageDir('@opentelemetry/api'), '..', '..', '.cache', 'spanlite-cold-start');

/** `stack`'s module bundled for Node into one minified ESM file: its path and size. */
async function nodeBundle(stack) {
  const outfile = join(CACHE, `${stack}.mjs`);
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`${stack}.mjs`, DIR))],
    outfile,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // ESM builds first, as Next.js's server bundling of App Router code prefers them
    mainFields: ['module', 'main'],
    conditions: ['node', 'import', 'module', 'default'],
    external: ['@opentelemetry/api'],
    // CommonJS dependencies bundled into ESM `require` Node's modules
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    metafile: true,
    logLevel: 'silent',
  });
  return { outfile, bytes: result.metafile.outputs[Object.keys(result.metafile.outputs)[0]].bytes };
}

/** The Node runs: the baseline, then each stack in each way of loading it. */
async function nodeRuns() {
  const [baseline, ...stacks] = STACKS;
  const runs = [{ key: 'baseline', label: baseline.label, url: new URL('baseline.mjs', DIR).href }];
  for (const mode of NODE_MODES) {
    for (const stack of stacks) {
      const bundle = mode === 'bundled' ? await nodeBundle(stack.name) : undefined;
      runs.push({
        key: `${stack.name}-${mode}`,
        label: `${stack.label}, ${mode}`,
        url:
          bundle === undefined
            ? new URL(`${stack.name}.mjs`, DIR).href
            : pathToFileURL(bundle.outfile).href,
        bytes: bundle?.bytes,
      });
    }
  }
  return runs;
}

function runProcess(run, serviceName, flags = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', ...flags, ENTRY, run.url, serviceName], {
      env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${run.key} exited with ${code}: ${err}`));
      else resolve(JSON.parse(out));
    });
  });
}

async function nodePart() {
  const runs = await nodeRuns();
  const results = new Map(runs.map((run) => [run.key, []]));
  const missing = [];
  for (let round = -1; round < ROUNDS; round++) {
    for (const run of shuffled(runs)) {
      const serviceName = `cold-start-${run.key}-${round + 1}`;
      const result = await runProcess(run, serviceName);
      // let the receiver take in the last body (the child has exited once its flush resolved)
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (run.key !== 'baseline' && !(result.sampled && arrived(serviceName))) {
        missing.push(serviceName);
      }
      if (round >= 0) results.get(run.key).push(result);
    }
  }
  const base = results.get('baseline');
  const added = (list, key) => list.map((result, i) => result[key] - base[i][key]);
  // the stack's own part, after what the entry loads first, minus the baseline's own part (an
  // empty module imported, a no-op span): free of the spread of loading undici
  const own = (result) => result.ready - result.base;
  const ownCpu = (result) => result.readyCpu - result.baseCpu;
  const isBase = (run) => run.key === 'baseline';

  console.log(
    "Node, fresh process each, ms from the entry's first statement. Every entry first loads " +
      '@opentelemetry/api and undici (`new Request`), as a Next.js server has before ' +
      '`register()` ("base"); "ready" is after that, the stack\'s import, registration and a ' +
      'first span started and ended. "added": ready minus the baseline process\'s ready in the ' +
      'same round; "added after base": the same with each process\'s own "base" taken off both ' +
      "(less noisy: loading undici varies most); CPU: the process's CPU time (all its threads), " +
      'likewise. modules: the stack loaded from node_modules; bundled: one minified file.\n',
  );
  table(
    ['stack', 'base', 'ready', 'added', 'added after base', 'added CPU after base'],
    runs.map((run) => {
      const list = results.get(run.key);
      return [
        run.label,
        spread(list.map((result) => result.base)),
        spread(list.map((result) => result.ready)),
        isBase(run) ? '–' : spread(added(list, 'ready')),
        isBase(run) ? '–' : spread(list.map((result, i) => own(result) - own(base[i]))),
        isBase(run) ? '–' : spread(list.map((result, i) => ownCpu(result) - ownCpu(base[i]))),
      ];
    }),
  );
  console.log(
    "The stack's part alone, ms (not net of the baseline's); the bundled file's size, minified:\n",
  );
  table(
    ['stack', 'file KB', 'import', 'register', 'first span'],
    runs.map((run) => {
      const list = results.get(run.key);
      const pick = (key) => list.map((result) => result[key]);
      return [
        run.label,
        run.bytes === undefined ? '–' : kb(run.bytes),
        spread(pick('import')),
        spread(pick('register'), (v) => v.toFixed(2)),
        spread(pick('firstSpan'), (v) => v.toFixed(2)),
      ];
    }),
  );
  console.log(
    'First export: forceFlush of the first span to the loopback receiver (started after a full ' +
      "GC). Heap: heapUsed after a full GC, minus the baseline process's of the same round.\n",
  );
  table(
    ['stack', 'export', 'added ready + export', 'heap added at ready KiB', 'after export KiB'],
    runs
      .filter((run) => !isBase(run))
      .map((run) => {
        const list = results.get(run.key);
        return [
          run.label,
          spread(list.map((result) => result.export)),
          spread(list.map((result, i) => result.ready + result.export - base[i].ready)),
          spread(added(list, 'heapReady'), kib),
          spread(added(list, 'heapExported'), kib),
        ];
      }),
  );
  const flushed = runs.map(
    (run) => `${run.key} ${[...new Set(results.get(run.key).map((result) => result.flushed))]}`,
  );
  console.log(
    `Baseline heap ${kib(median(base.map((result) => result.heapReady)))} KiB; process start ` +
      `to entry ${ms(median(base.map((result) => result.sinceProcessStart)))} ms (Node's own ` +
      `start, the same for all). flush results: ${flushed.join(', ')}. ` +
      (missing.length === 0
        ? 'Every process’s span was sampled and reached the receiver.'
        : `NOT SAMPLED or MISSING at the receiver: ${missing.join(', ')}`),
  );
  console.log('');

  if (CPU_PROF !== undefined) {
    mkdirSync(CPU_PROF, { recursive: true });
    for (const run of runs) {
      const flags = [
        '--cpu-prof',
        `--cpu-prof-dir=${CPU_PROF}`,
        `--cpu-prof-name=${run.key}.cpuprofile`,
      ];
      await runProcess(run, `cold-start-profile-${run.key}`, flags);
    }
    console.log(`CPU profiles of one process per stack and way in ${CPU_PROF}\n`);
  }
}

// ---------------------------------------------------------------------------------------------
// Edge: bundles evaluated in fresh EdgeVMs.

/** The edge entry of `stack`: all of @opentelemetry/api, the stack's registration, a first span. */
function edgeEntry(stack) {
  return `import * as api from '@opentelemetry/api';
import { register } from './cold-start/${stack}.mjs';
const marks = [__now()];
const { flush } = register({
  serviceName: 'cold-start-edge-${stack}',
  endpoint: ${JSON.stringify(ENDPOINT)},
  AsyncLocalStorage: globalThis.AsyncLocalStorage,
});
marks.push(__now());
api.trace.getTracer('cold-start').startSpan('first').end();
marks.push(__now());
globalThis.__coldStart = { marks, flush, api };`;
}

/** Node modules that Next.js's edge sandbox lends to bundles (its subset of Node APIs): the host's. */
const EDGE_NODE_MODULES = new Map(
  ['async_hooks', 'buffer', 'events', 'assert', 'util'].flatMap((name) => {
    const module = process.getBuiltinModule?.(name) ?? createRequire(import.meta.url)(name);
    return [
      [name, module],
      [`node:${name}`, module],
    ];
  }),
);

async function edgeBundle(stack) {
  const result = await build({
    ...EDGE_BUILD_OPTIONS,
    stdin: { contents: edgeEntry(stack), resolveDir: new URL('.', import.meta.url).pathname },
    // a script, as EdgeVM evaluates it
    format: 'iife',
    // the Node modules Next.js's edge sandbox provides to bundles (@vercel/otel's edge build
    // imports two), left to the sandbox's `require` as Next.js's edge compilation does
    external: [...EDGE_NODE_MODULES.keys()],
  });
  const code = result.outputFiles[0].text;
  return { code, bytes: Buffer.byteLength(code), gzipped: gzipSync(code).length };
}

function freshVm() {
  return new EdgeVM({
    extend: (context) =>
      Object.assign(context, {
        AsyncLocalStorage,
        require: (name) => EDGE_NODE_MODULES.get(name),
        // Next.js's edge sandbox has `process.env` (@vercel/otel reads its configuration there)
        process: { env: { NEXT_RUNTIME: 'edge', OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT } },
        __now: () => performance.now(),
      }),
  });
}

async function edgePart() {
  const bundles = new Map();
  for (const stack of STACKS) bundles.set(stack.name, await edgeBundle(stack.name));
  const results = new Map(STACKS.map((stack) => [stack.name, []]));
  const flushed = new Map(STACKS.map((stack) => [stack.name, new Set()]));
  let unique = 0;
  for (let round = -1; round < EDGE_ROUNDS; round++) {
    for (const stack of shuffled(STACKS)) {
      const vm = freshVm();
      const code = `${bundles.get(stack.name).code}\n//${unique++}`;
      globalThis.gc();
      const start = performance.now();
      vm.evaluate(code);
      const end = performance.now();
      const { marks, flush } = vm.evaluate('globalThis.__coldStart');
      if (round >= 0) {
        results.get(stack.name).push({
          total: end - start,
          evaluate: marks[0] - start,
          register: marks[1] - marks[0],
          firstSpan: marks[2] - marks[1],
        });
      }
      try {
        flushed.get(stack.name).add(String(await flush()));
      } catch (error) {
        flushed.get(stack.name).add(`threw ${error?.message ?? error}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  const base = results.get('baseline');
  const baseBundle = bundles.get('baseline');
  console.log(
    'Edge VM, fresh EdgeVM each: ms to compile and evaluate the bundle, register and start/end ' +
      'the first span; "added": minus the baseline bundle (@opentelemetry/api alone) of the ' +
      'same round. Bundle sizes in KB (1000 B), minified / gzipped; "added" the same minus the ' +
      "baseline's.\n",
  );
  table(
    [
      'stack',
      'bundle KB',
      'added KB',
      'total ms',
      'added ms',
      'evaluate',
      'register',
      'first span',
    ],
    STACKS.map((stack) => {
      const runs = results.get(stack.name);
      const bundle = bundles.get(stack.name);
      const pick = (key) => runs.map((run) => run[key]);
      return [
        stack.label,
        `${kb(bundle.bytes)} / ${kb(bundle.gzipped)}`,
        stack.name === 'baseline'
          ? '–'
          : `${kb(bundle.bytes - baseBundle.bytes)} / ${kb(bundle.gzipped - baseBundle.gzipped)}`,
        spread(pick('total'), (v) => v.toFixed(2)),
        stack.name === 'baseline'
          ? '–'
          : spread(
              runs.map((run, i) => run.total - base[i].total),
              (v) => v.toFixed(2),
            ),
        spread(pick('evaluate'), (v) => v.toFixed(2)),
        spread(pick('register'), (v) => v.toFixed(2)),
        spread(pick('firstSpan'), (v) => v.toFixed(2)),
      ];
    }),
  );
  const missing = STACKS.filter(
    (stack) => stack.name !== 'baseline' && !arrived(`cold-start-edge-${stack.name}`),
  ).map((stack) => stack.name);
  console.log(
    `flush after the timing: ${STACKS.map((s) => `${s.name} ${[...flushed.get(s.name)]}`).join(', ')}; ` +
      (missing.length === 0
        ? 'every stack’s edge span reached the receiver.'
        : `no edge span at the receiver from: ${missing.join(', ')}`),
  );
  console.log('');
}

// ---------------------------------------------------------------------------------------------

const VERSIONED = [
  '@opentelemetry/api',
  '@opentelemetry/sdk-trace-base',
  '@opentelemetry/exporter-trace-otlp-proto',
  '@opentelemetry/exporter-trace-otlp-http',
  ...(installed('@vercel/otel') ? ['@vercel/otel'] : []),
  '@edge-runtime/vm',
  'esbuild',
];
console.log(`load average ${load()}; ${ROUNDS} rounds (Node), ${EDGE_ROUNDS} rounds (edge)`);
console.log(`${VERSIONED.map((name) => `${name} ${versionOf(name)}`).join(', ')}\n`);
try {
  if (PARTS.includes('node')) await nodePart();
  if (PARTS.includes('edge')) await edgePart();
} finally {
  server.closeAllConnections();
  server.close();
  rmSync(CACHE, { recursive: true, force: true });
}
console.log(`load average ${load()}`);
// the edge stacks' batch processors keep timers in the sandboxes
process.exit(0);
