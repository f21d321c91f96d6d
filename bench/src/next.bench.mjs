// `withTracing` around a trivial App Router route handler (`async () => new Response('ok')`) vs
// the bare handler: ns added per request, in Node and in the edge runtime's VM (@edge-runtime/vm,
// the sandbox `next start` runs edge routes and middleware in), from the built packages. Each
// request builds a `Request` with a `traceparent` and a user agent, for both sides alike; the wrapped
// side records the server span, sets the HTTP attributes, adds `traceresponse` and `Server-Timing`,
// and schedules the flush after the response (exported to an exporter that drops the batch).
// Reported: the median over interleaved rounds of the difference, and its min–max.
import { AsyncLocalStorage } from 'node:async_hooks';
import { loadavg } from 'node:os';
import { EdgeVM } from '@edge-runtime/vm';
import { build } from 'esbuild';
import { measureOverhead } from './next-handler.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const COUNT = Number(process.env.BENCH_REQUESTS ?? 20_000);

function summarize(label, { results, exportedSpans }) {
  const added = results.map((r) => r.addedNs).sort((a, b) => a - b);
  const bare = results.map((r) => r.bareNs).sort((a, b) => a - b);
  const wrapped = results.map((r) => r.wrappedNs).sort((a, b) => a - b);
  const mid = (list) => list[Math.floor(list.length / 2)];
  const us = (ns) => `${(ns / 1000).toFixed(2)} µs`;
  console.log(
    `${label.padEnd(8)} bare ${us(mid(bare))}/req, wrapped ${us(mid(wrapped))}/req, ` +
      `added ${us(mid(added))} (min ${us(added[0])}, max ${us(added[added.length - 1])}); ` +
      `${exportedSpans} spans exported`,
  );
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
  conditions: ['edge-light', 'worker', 'browser', 'import', 'default'],
  logLevel: 'silent',
});
const vm = new EdgeVM({ extend: (context) => Object.assign(context, { AsyncLocalStorage }) });
vm.evaluate(bundled.outputFiles[0].text);
summarize(
  'edge VM',
  await vm.evaluate(`__run(${JSON.stringify({ rounds: ROUNDS, count: COUNT })})`),
);
