// The devtools collector under load: OTLP/HTTP ingest throughput (spans/s) for protobuf bodies of
// 512 spans over loopback, the request latency, the latency of the JSON API's queries while it
// ingests, and the server's memory once its store is at its bound.
//
// The server (the built @spanlite/devtools `startDevServer`, devtools-server.mjs) runs in a child
// process, so the figures are the server's and not shared with this load generator's event loop
// (the machine's CPUs are shared all the same). The bodies are encoded beforehand by the built
// @spanlite/exporters (`encodeProtobufTraceRequest`, what its OtlpTraceExporter sends): a pool of
// POOL bodies of 512 spans each, each body one service's resource and one scope, holding whole
// traces of 5–20 spans (a SERVER root, CLIENT and INTERNAL children, 5 attributes a span, an event
// on one span in four, an error on about one trace in 25), every trace id distinct in the pool. The
// pool holds more than twice the spans the store can keep, so when a body comes round again its
// traces have long been evicted and are new to the store.
//
// Each run: CONNECTIONS keep-alive connections POST bodies back to back (the next as soon as the
// answer is in) for WARMUP_S, then for DURATION_S measured; only 200s with no partial success
// count. Meanwhile one more connection runs `GET /traces/query?limit=20`, then `GET /traces/:id` and
// `GET /traces/:id/analyze` of a trace the query returned, every QUERY_EVERY_MS (the trace may be
// evicted in between: a 404, counted apart). The child's memory and the store's counters are
// sampled over IPC every 500 ms. After the load stops: the memory after a full GC, and the same
// queries 40 times on the idle server with the store full (their own cost, without the queueing).
//
// Runs: protobuf in memory; protobuf with gzip bodies (@spanlite/exporters sends uncompressed by
// default; gzip is its `compression: 'gzip'` option); protobuf with `dataDir` (the append log on).
// BENCH_RUNS=memory,gzip,log picks runs; BENCH_CPU_PROF=<dir> profiles the server (`--cpu-prof`);
// BENCH_SERVER_FLAGS passes more flags to the server's node (`--trace-gc`, heap sizes).

import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeProtobufTraceRequest } from '@spanlite/exporters';

const BATCH = 512;
const POOL = Number(process.env.BENCH_POOL ?? 512);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 15);
const QUERY_EVERY_MS = Number(process.env.BENCH_QUERY_EVERY_MS ?? 100);
const MAX_BYTES = Number(process.env.BENCH_MAX_MIB ?? 64) * 1024 * 1024;
const MAX_TRACES = Number(process.env.BENCH_MAX_TRACES ?? 100_000);
const RUNS = (process.env.BENCH_RUNS ?? 'memory,gzip,log').split(',').filter(Boolean);
const CPU_PROF = process.env.BENCH_CPU_PROF;
const SERVER = new URL('./devtools-server.mjs', import.meta.url).pathname;

// ---------------------------------------------------------------------------------------------
// The bodies.

/** A small deterministic generator (mulberry32), so that every run sends the same bodies. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERVICES = ['frontend', 'checkout', 'cart', 'payments', 'inventory', 'search'];
const ROUTES = ['/api/items/:id', '/api/cart', '/api/checkout', '/api/search', '/api/users/:id'];
const TABLES = ['items', 'carts', 'orders', 'users', 'stock'];

function hexOf(rand, digits) {
  let out = '';
  for (let i = 0; i < digits; i += 8) {
    out += Math.floor(rand() * 4294967296)
      .toString(16)
      .padStart(8, '0');
  }
  return out.slice(0, digits);
}

function hrTime(ms) {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

/** One trace of `count` spans as @spanlite/core's FinishedSpan objects (what the encoder reads). */
function traceSpans(rand, count, startMs, resource, scope, traceNumber) {
  const traceId = hexOf(rand, 32);
  const route = ROUTES[traceNumber % ROUTES.length];
  const failed = rand() < 0.04;
  const rootDuration = 5 + rand() * 200;
  const spans = [];
  const ids = [];
  for (let i = 0; i < count; i++) {
    const spanId = hexOf(rand, 16);
    ids.push(spanId);
    const root = i === 0;
    const parentId = root ? undefined : ids[Math.floor(rand() * i)];
    const client = !root && rand() < 0.5;
    const offset = root ? 0 : rand() * rootDuration * 0.8;
    const duration = root ? rootDuration : rand() * (rootDuration - offset);
    const start = startMs + offset;
    const attributes = root
      ? {
          'http.request.method': 'GET',
          'http.route': route,
          'http.response.status_code': failed ? 500 : 200,
          'url.path': route.replace(':id', String(traceNumber % 1000)),
          'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) bench',
        }
      : client
        ? {
            'db.system': 'postgresql',
            'db.namespace': 'shop',
            'db.operation.name': 'SELECT',
            'db.collection.name': TABLES[i % TABLES.length],
            'server.port': 5432,
          }
        : {
            'code.function.name': `handle${i % 7}`,
            'code.file.path': `src/handlers/${route.split('/')[2]}.ts`,
            'app.items': i * 3,
            'app.cache_hit': i % 2 === 0,
            'app.tenant': `tenant-${traceNumber % 17}`,
          };
    const events = [];
    if (rand() < 0.25) {
      events.push({
        name: 'cache.miss',
        time: hrTime(start + duration / 2),
        attributes: { 'cache.key': `item:${traceNumber % 997}` },
      });
    }
    const error = failed && (root || i === count - 1);
    if (error) {
      events.push({
        name: 'exception',
        time: hrTime(start + duration),
        attributes: {
          'exception.type': 'Error',
          'exception.message': 'connection reset by peer',
        },
      });
    }
    const context = { traceId, spanId, traceFlags: 1 };
    spans.push({
      name: root
        ? `GET ${route}`
        : client
          ? `SELECT shop.${TABLES[i % TABLES.length]}`
          : `handle${i % 7}`,
      kind: root ? 1 : client ? 2 : 0,
      spanContext: () => context,
      parentSpanContext:
        parentId === undefined ? undefined : { traceId, spanId: parentId, traceFlags: 1 },
      startTime: hrTime(start),
      endTime: hrTime(start + duration),
      duration: hrTime(duration),
      status: error ? { code: 2, message: 'connection reset by peer' } : { code: 0 },
      attributes,
      links: [],
      events,
      ended: true,
      resource,
      instrumentationScope: scope,
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    });
  }
  // A batch span processor hands spans over in the order they ended: children before the root.
  return spans.reverse();
}

/** The pool: POOL protobuf bodies of 512 spans, and the same gzipped. */
function makeBodies() {
  const rand = random(42);
  const scope = { name: '@spanlite/bench', version: '1.0.0' };
  const resources = SERVICES.map((service) => ({
    attributes: {
      'service.name': service,
      'service.version': '1.4.2',
      'deployment.environment.name': 'bench',
      'telemetry.sdk.name': 'spanlite',
      'telemetry.sdk.language': 'nodejs',
      'host.name': 'bench-host',
    },
    schemaUrl: undefined,
  }));
  const startMs = Date.now() - 60_000;
  const protobuf = [];
  let traceNumber = 0;
  let traces = 0;
  for (let b = 0; b < POOL; b++) {
    const resource = resources[b % resources.length];
    const spans = [];
    while (spans.length < BATCH) {
      const count = Math.min(5 + Math.floor(rand() * 16), BATCH - spans.length);
      spans.push(
        ...traceSpans(rand, count, startMs + traceNumber * 0.05, resource, scope, traceNumber++),
      );
      traces++;
    }
    protobuf.push(Buffer.from(encodeProtobufTraceRequest(spans)));
  }
  const gzip = protobuf.map((body) => gzipSync(body));
  return { protobuf, gzip, traces };
}

// ---------------------------------------------------------------------------------------------
// Measuring.

function quantile(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function latencySummary(values) {
  const sorted = Float64Array.from(values).sort();
  return { n: sorted.length, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) };
}

function send(agent, port, method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = request({ agent, host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          body: Buffer.concat(chunks),
          ms: performance.now() - start,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function startServer(options) {
  const execArgv = [
    '--expose-gc',
    ...(process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean),
  ];
  if (CPU_PROF !== undefined) execArgv.push('--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`);
  const child = fork(SERVER, [JSON.stringify(options)], { execArgv, stdio: 'inherit' });
  const pending = new Map();
  let nextId = 0;
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (message) => {
      if (message.type === 'ready') {
        resolve({
          port: message.port,
          sample: (gc = false) =>
            new Promise((done) => {
              const id = nextId++;
              pending.set(id, done);
              child.send({ type: 'sample', id, gc });
            }),
          close: () =>
            new Promise((done) => {
              child.once('exit', done);
              child.send({ type: 'close' });
            }),
        });
      } else if (message.type === 'sample') {
        pending.get(message.id)?.(message);
        pending.delete(message.id);
      }
    });
  });
}

const MiB = (bytes) => (bytes / 1024 / 1024).toFixed(1);

async function run(name, bodies, serverOptions, headers) {
  const server = await startServer(serverOptions);
  const port = server.port;
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const queryAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  const loadBefore = loadavg()[0];

  let measuring = false;
  let stopped = false;
  let next = 0;
  const counts = { accepted: 0, requests: 0, failed: 0, partial: 0 };
  const postMs = [];
  const failures = new Map();
  const poster = async () => {
    while (!stopped) {
      const body = bodies[next++ % bodies.length];
      const res = await send(agent, port, 'POST', '/v1/traces', headers, body);
      if (!measuring || stopped) continue;
      counts.requests++;
      postMs.push(res.ms);
      // A full success is an empty ExportTraceServiceResponse (no partial_success field).
      if (res.status === 200 && res.body.length === 0) counts.accepted += BATCH;
      else if (res.status === 200) counts.partial++;
      else {
        counts.failed++;
        failures.set(res.status, (failures.get(res.status) ?? 0) + 1);
      }
    }
  };

  const queryMs = { query: [], trace: [], analyze: [] };
  const queryStatus = new Map();
  const querier = async () => {
    while (!stopped) {
      const tick = performance.now();
      const list = await send(queryAgent, port, 'GET', '/traces/query?limit=20');
      const traces = list.status === 200 ? JSON.parse(list.body.toString()).traces : [];
      const traceId = traces[Math.floor(Math.random() * traces.length)]?.traceId;
      const results = [['query', list]];
      if (traceId !== undefined) {
        results.push(['trace', await send(queryAgent, port, 'GET', `/traces/${traceId}`)]);
        results.push([
          'analyze',
          await send(queryAgent, port, 'GET', `/traces/${traceId}/analyze`),
        ]);
      }
      if (measuring && !stopped) {
        for (const [kind, res] of results) {
          queryMs[kind].push(res.ms);
          const key = `${kind} ${res.status}`;
          queryStatus.set(key, (queryStatus.get(key) ?? 0) + 1);
        }
      }
      const wait = QUERY_EVERY_MS - (performance.now() - tick);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  };

  const samples = [];
  let sampling = true;
  const sampler = (async () => {
    const t0 = performance.now();
    while (sampling) {
      const s = await server.sample();
      samples.push({ t: (performance.now() - t0) / 1000, ...s });
      await new Promise((r) => setTimeout(r, 500));
    }
  })();

  const workers = [...Array.from({ length: CONNECTIONS }, poster), querier()];
  await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
  const startSample = await server.sample();
  const clientCpuBefore = process.cpuUsage();
  const start = performance.now();
  measuring = true;
  await new Promise((r) => setTimeout(r, DURATION_S * 1000));
  measuring = false;
  const seconds = (performance.now() - start) / 1000;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const endSample = await server.sample();
  stopped = true;
  await Promise.all(workers);
  sampling = false;
  await sampler;
  // The heap the store really retains: after a full collection, with the load stopped.
  const collected = await server.sample(true);
  // The same queries on the idle server with the store full: their own cost, without the wait
  // behind the POSTs already queued on the server's one event loop.
  const idleMs = { query: [], trace: [], analyze: [], stats: [] };
  for (let i = 0; i < 40; i++) {
    const list = await send(queryAgent, port, 'GET', '/traces/query?limit=20');
    idleMs.query.push(list.ms);
    const traces = JSON.parse(list.body.toString()).traces;
    const traceId = traces[i % traces.length].traceId;
    idleMs.trace.push((await send(queryAgent, port, 'GET', `/traces/${traceId}`)).ms);
    idleMs.analyze.push((await send(queryAgent, port, 'GET', `/traces/${traceId}/analyze`)).ms);
    if (i % 4 === 0) idleMs.stats.push((await send(queryAgent, port, 'GET', '/stats')).ms);
  }
  const stats = JSON.parse((await send(queryAgent, port, 'GET', '/stats')).body.toString());
  agent.destroy();
  queryAgent.destroy();
  await server.close();
  const loadAfter = loadavg()[0];

  const post = latencySummary(postMs);
  const serverCpu = (endSample.cpuUs - startSample.cpuUs) / 1e6 / seconds;
  const clientCpuShare = (clientCpu.user + clientCpu.system) / 1e6 / seconds;
  const line = (label, s) =>
    `${label.padEnd(28)} n=${String(s.n).padStart(5)}  p50 ${s.p50.toFixed(2).padStart(7)} ms  p99 ${s.p99.toFixed(2).padStart(7)} ms`;
  console.log(`### ${name}\n`);
  console.log(
    `${(counts.accepted / seconds).toFixed(0)} spans/s accepted over ${seconds.toFixed(1)} s ` +
      `(${counts.requests} requests: ${counts.failed} failed ${JSON.stringify(Object.fromEntries(failures))}, ` +
      `${counts.partial} partial)\n` +
      `server CPU ${(serverCpu * 100).toFixed(0)}% of one core, i.e. ` +
      `${(counts.accepted / seconds / serverCpu).toFixed(0)} spans per server CPU-second; ` +
      `load generator CPU ${(clientCpuShare * 100).toFixed(0)}%; ` +
      `load average ${loadBefore.toFixed(2)} → ${loadAfter.toFixed(2)}`,
  );
  console.log(line('POST /v1/traces', post));
  console.log(line('GET /traces/query?limit=20', latencySummary(queryMs.query)));
  console.log(line('GET /traces/:id', latencySummary(queryMs.trace)));
  console.log(line('GET /traces/:id/analyze', latencySummary(queryMs.analyze)));
  console.log(`query statuses ${JSON.stringify(Object.fromEntries(queryStatus))}`);
  console.log('the same after the run, on the idle server with the store full:');
  console.log(line('  GET /traces/query?limit=20', latencySummary(idleMs.query)));
  console.log(line('  GET /traces/:id', latencySummary(idleMs.trace)));
  console.log(line('  GET /traces/:id/analyze', latencySummary(idleMs.analyze)));
  console.log(line('  GET /stats', latencySummary(idleMs.stats)));
  // The best 5-second window with the store at its bound (warm-up included): what the server does when the
  // shared machine lets it have more of a core.
  let best;
  for (let i = 0, j = 0; i < samples.length; i++) {
    while (j < i && samples[i].t - samples[j + 1].t >= 5) j++;
    const span = samples[i].t - samples[j].t;
    if (span < 5 || samples[j].counters.tracesEvicted === 0) continue;
    const rate = (samples[i].counters.spansIngested - samples[j].counters.spansIngested) / span;
    const cpu = (samples[i].cpuUs - samples[j].cpuUs) / 1e6 / span;
    if (best === undefined || rate > best.rate)
      best = { rate, cpu, from: samples[j].t, to: samples[i].t };
  }
  if (best !== undefined) {
    console.log(
      `best 5 s window (${best.from.toFixed(1)}–${best.to.toFixed(1)} s): ${best.rate.toFixed(0)} spans/s, ` +
        `server CPU ${(best.cpu * 100).toFixed(0)}% of one core`,
    );
  }
  console.log(
    '\n   t s | rss MiB | heap used MiB | store MiB (bound) | traces | spans ingested | traces evicted | log MiB',
  );
  const every = Math.max(1, Math.round(samples.length / 12));
  for (let i = 0; i < samples.length; i += every) {
    const s = samples[i];
    const c = s.counters;
    console.log(
      `${s.t.toFixed(1).padStart(6)} | ${MiB(s.memory.rss).padStart(7)} | ${MiB(s.memory.heapUsed).padStart(13)} | ` +
        `${MiB(c.bytesStored).padStart(9)} (${MiB(MAX_BYTES)}) | ${String(c.tracesStored).padStart(6)} | ` +
        `${String(c.spansIngested).padStart(14)} | ${String(c.tracesEvicted).padStart(14)} | ${MiB(c.logBytes)}`,
    );
  }
  const after = samples.filter((s) => s.counters.tracesEvicted > 0);
  if (after.length > 1) {
    const rss = after.map((s) => s.memory.rss);
    const heap = after.map((s) => s.memory.heapUsed);
    console.log(
      `once evicting (${after.length} samples): rss ${MiB(Math.min(...rss))}–${MiB(Math.max(...rss))} MiB, ` +
        `heap used ${MiB(Math.min(...heap))}–${MiB(Math.max(...heap))} MiB`,
    );
  }
  console.log(
    `after the run and a full GC: rss ${MiB(collected.memory.rss)} MiB, heap used ${MiB(collected.memory.heapUsed)} MiB ` +
      `(store estimate ${MiB(collected.counters.bytesStored)} MiB)`,
  );
  console.log(
    `/stats at the end: store.bytesStored ${stats.store.bytesStored} (bound ${MAX_BYTES}), ` +
      `traces ${stats.totalTraces}, dropped.tracesEvicted ${stats.dropped.tracesEvicted}, ` +
      `ingest.spansAccepted ${stats.ingest.spansAccepted}, spansRejected ${stats.dropped.spansRejected}, ` +
      `late spans joined ${endSample.counters.lateSpansJoined}, server errors ${endSample.errors}\n`,
  );
}

// ---------------------------------------------------------------------------------------------

const t0 = performance.now();
const bodies = makeBodies();
const protobufBytes = bodies.protobuf.reduce((n, b) => n + b.length, 0);
const gzipBytes = bodies.gzip.reduce((n, b) => n + b.length, 0);
console.log(
  `node ${process.version}; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n` +
    `pool: ${POOL} bodies of ${BATCH} spans in ${bodies.traces} traces ` +
    `(${(protobufBytes / POOL / 1024).toFixed(1)} KiB protobuf, ${(gzipBytes / POOL / 1024).toFixed(1)} KiB gzip a body; ` +
    `built in ${((performance.now() - t0) / 1000).toFixed(1)} s); ` +
    `${CONNECTIONS} connections, ${WARMUP_S} s warm-up, ${DURATION_S} s measured; ` +
    `store maxBytes ${MiB(MAX_BYTES)} MiB, maxTraces ${MAX_TRACES}\n`,
);
const protobufHeaders = { 'content-type': 'application/x-protobuf' };
const store = { maxBytes: MAX_BYTES, maxTraces: MAX_TRACES };
for (const which of RUNS) {
  if (which === 'memory') {
    await run('protobuf, in memory', bodies.protobuf, store, protobufHeaders);
  } else if (which === 'gzip') {
    await run('protobuf + gzip, in memory', bodies.gzip, store, {
      ...protobufHeaders,
      'content-encoding': 'gzip',
    });
  } else if (which === 'log') {
    const dataDir = mkdtempSync(join(tmpdir(), 'spanlite-devtools-bench-'));
    try {
      await run(
        'protobuf, with dataDir (append log)',
        bodies.protobuf,
        { ...store, dataDir },
        protobufHeaders,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  } else {
    throw new Error(`unknown run ${which}`);
  }
}
