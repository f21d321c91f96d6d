// `npm run demo`: starts the local collector (`spanlite dev`), builds examples/next-app (Next.js 16)
// and starts it exporting OTLP/protobuf to the collector, sends a mix of requests (ok, slow,
// failing, edge, chained), prints the traces, the slowest one's analysis and the waterfall's URL,
// and keeps both running until Ctrl-C. `npm run demo -- --once` stops after printing.
// Uses the built packages, as a user would.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { buildApp, startApp } from '../examples/next-app/scripts/start-app.mjs';

const once = process.argv.includes('--once');
const cli = fileURLToPath(new URL('../packages/devtools/bin/spanlite.js', import.meta.url));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** 4318, the OTLP/HTTP port the example exports to by default, unless something holds it. */
function portOrAny(port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(0));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(port)));
  });
}

/** Starts `spanlite dev` as a user would (`npx spanlite dev`); resolves to { url, stop() }. */
async function startCollector() {
  const port = await portOrAny(4318);
  const child = spawn(process.execPath, [cli, 'dev', '--port', String(port), '--idle', '2000'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let output = '';
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`spanlite dev exited (${code}):\n${output}`)));
  });
  return {
    url,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}

const getJson = async (url) => (await fetch(url)).json();
const ms = (value) => `${value.toFixed(1)} ms`;

console.log('spanlite demo: starting the local collector (spanlite dev) ...');
const collector = await startCollector();
console.log(`collector on ${collector.url}\nbuilding examples/next-app (next build) ...`);
let app;
try {
  await buildApp();
  app = await startApp({
    otlpUrl: collector.url,
    env: {
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_PROPAGATORS: 'tracecontext,baggage,b3',
    },
  });
  console.log(`app on ${app.url}, exporting OTLP/protobuf to ${collector.url}\n`);

  // Next.js loads each route on its first request; keep that out of the figures.
  const routes = [
    '/api/items',
    '/api/report',
    '/api/edge',
    '/api/edge-direct',
    '/api/chain',
    '/api/error',
  ];
  for (const path of routes) await (await fetch(`${app.url}${path}`)).arrayBuffer();

  const requests = [
    ['ok', '/api/items', {}],
    [
      'ok, continues the caller',
      '/api/items',
      { traceparent: `00-${'4bf92f3577b34da6a3ce929d0e0e4736'}-00f067aa0ba902b7-01` },
    ],
    ['ok, b3 caller', '/api/items', { b3: '80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1' }],
    ['slow', '/api/report', {}],
    ['slow', '/api/report', {}],
    ['failing', '/api/error', {}],
    ['edge', '/api/edge', {}],
    ['edge, no middleware', '/api/edge-direct', {}],
    ['chained', '/api/chain', {}],
    ['chained, fails downstream', '/api/chain?fail=1', {}],
  ];
  const traceIds = [];
  for (const [kind, path, headers] of requests) {
    const started = performance.now();
    const response = await fetch(`${app.url}${path}`, { headers });
    await response.arrayBuffer();
    const traceId = response.headers.get('traceresponse')?.slice(3, 35);
    traceIds.push(traceId);
    const took = ms(performance.now() - started);
    console.log(
      `${kind.padEnd(26)} GET ${path.padEnd(18)} → ${response.status} in ${took.padStart(9)}  trace ${traceId}`,
    );
  }

  // Spans are flushed after each response; wait until every trace is there and complete.
  const deadline = Date.now() + 30_000;
  let summaries = [];
  while (Date.now() < deadline) {
    const { traces } = await getJson(`${collector.url}/traces/query?limit=1000`);
    summaries = traceIds.map((id) => traces.find((t) => t.traceId === id));
    if (summaries.every((s) => s?.complete)) break;
    await sleep(250);
  }
  console.log('\ntraces (GET /traces/query):');
  for (const s of summaries.filter(Boolean)) {
    console.log(
      `  ${s.traceId}  ${s.status.padEnd(5)} ${ms(s.duration).padStart(9)}  ${String(s.spanCount).padStart(2)} spans  ${s.rootService}: ${s.operation ?? s.rootOperation}`,
    );
  }
  const slowest = summaries.filter(Boolean).sort((a, b) => b.duration - a.duration)[0];
  if (slowest) {
    const analysis = await getJson(`${collector.url}/traces/${slowest.traceId}/analyze`);
    console.log(`\nthe slowest trace, ${slowest.traceId} (GET /traces/:id/analyze):`);
    console.log(`  total ${ms(analysis.totalDuration)}`);
    console.log(`  critical path  ${analysis.criticalPath.join(' → ')}`);
    console.log('  bottlenecks (own time over 10% of the trace):');
    for (const b of analysis.bottlenecks) {
      console.log(
        `    ${`${b.service}: ${b.operation}`.padEnd(48)} ${ms(b.duration).padStart(9)}  ${b.percentage.toFixed(1)}%`,
      );
    }
    console.log('  time per service:');
    for (const [service, time] of Object.entries(analysis.serviceBreakdown)) {
      console.log(`    ${service.padEnd(48)} ${ms(time).padStart(9)}`);
    }
    console.log(`\nwaterfall: ${collector.url}/#/trace/${slowest.traceId}`);
  }
  console.log(`all traces: ${collector.url}/   stats: ${collector.url}/stats`);
  if (!once) {
    console.log('\nthe app and the collector keep running; Ctrl-C stops both.');
    await new Promise((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  }
} finally {
  await app?.stop();
  await collector.stop();
}
