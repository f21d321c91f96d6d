// `withTracing` around a trivial App Router route handler (`async () => new Response('ok')`) vs
// the bare handler: ns added per request, in Node and in the edge runtime's VM (@edge-runtime/vm,
// the sandbox `next start` runs edge routes and middleware in), from the built packages. Each
// request builds a `Request` with a `traceparent` and a user agent, for both sides alike; the wrapped
// side records the server span, sets the HTTP attributes, adds `traceresponse` and `Server-Timing`,
// and schedules the flush after the response (exported to an exporter that drops the batch).
// Reported: the median over interleaved rounds of the difference, and its min–max, in wall time
// and in CPU time of the process (which, on a shared machine, leaves out other processes' time).
import { AsyncLocalStorage } from 'node:async_hooks';
import { loadavg } from 'node:os';
import { EdgeVM } from '@edge-runtime/vm';
import { build } from 'esbuild';
import { measureOverhead } from './next-handler.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const COUNT = Number(process.env.BENCH_REQUESTS ?? 20_000);

function summarize(label, { results, exportedSpans }) {
  const sorted = (key) => results.map((r) => r[key]).sort((a, b) => a - b);
  const mid = (list) => list[Math.floor(list.length / 2)];
  const us = (ns) => `${(ns / 1000).toFixed(2)} µs`;
  const line = (kind, suffix) => {
    const added = sorted(`added${suffix}`);
    return (
      `${kind}: bare ${us(mid(sorted(`bare${suffix}`)))}/req, ` +
      `wrapped ${us(mid(sorted(`wrapped${suffix}`)))}/req, ` +
      `added ${us(mid(added))} (min ${us(added[0])}, max ${us(added[added.length - 1])})`
    );
  };
  console.log(`${label.padEnd(8)} ${line('wall', 'Ns')}`);
  console.log(`${''.padEnd(8)} ${line('CPU ', 'CpuNs')}; ${exportedSpans} spans exported`);
}

console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; ${ROUNDS} rounds of ${COUNT} requests\n`,
);

summarize('node', await measureOverhead({ rounds: ROUNDS, count: COUNT }));

const bundled = await build({
  stdin: {
    contents: `import { measureOverhead } from './next-handler.mjs';
globalThis.__run = (options) => measureOverhead(options);`,
    resolveDir: new URL('.', import.meta.url).pathname,
  },
  bundle: true,
  write: false,
  format: 'iife',
  platform: 'neutral',
  target: 'es2022',
  mainFields: ['module', 'main'],
  // as webpack and Turbopack resolve for Next.js's edge entries: `module` too, which gives
  // @opentelemetry/api's ESM build (without it, esbuild takes its CommonJS build, whose
  // re-exports are getters, run on every `context`/`trace` access)
  conditions: ['edge-light', 'worker', 'browser', 'module', 'import', 'default'],
  logLevel: 'silent',
});
const cpuMicros = () => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};
const vm = new EdgeVM({
  extend: (context) => Object.assign(context, { AsyncLocalStorage, __benchCpuMicros: cpuMicros }),
});
vm.evaluate(bundled.outputFiles[0].text);
summarize(
  'edge VM',
  await vm.evaluate(`__run(${JSON.stringify({ rounds: ROUNDS, count: COUNT })})`),
);
