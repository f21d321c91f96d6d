// One cold start in a fresh Node process, for cold-start.bench.mjs: `node --expose-gc
// node-entry.mjs STACK_MODULE_URL SERVICE_NAME` (the OTLP endpoint in
// OTEL_EXPORTER_OTLP_ENDPOINT). Times, from this module's first statement, what a Next.js server
// has loaded anyway (@opentelemetry/api, undici through `Request`), then the stack's module (one
// of the stacks beside this file, or a bundle of one) and all it imports, its registration, the
// first span started and ended through the API, and, after a full GC to read the heap, the export
// of that span (`forceFlush`). Prints one JSON line.
import { AsyncLocalStorage } from 'node:async_hooks';

const clock = () => performance.now();
const cpu = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
const t0 = clock();
const cpu0 = cpu();
const api = await import('@opentelemetry/api');
if (new Request('http://localhost/').method !== 'GET') throw new Error('unexpected Request');
const t1 = clock();
const cpu1 = cpu();
const [stackUrl, serviceName] = process.argv.slice(2);
const stack = await import(stackUrl);
const t2 = clock();
const { flush } = stack.register({
  serviceName,
  endpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT,
  AsyncLocalStorage,
});
const t3 = clock();
const span = api.trace.getTracer('cold-start').startSpan('first');
span.end();
const t4 = clock();
const cpu4 = cpu();
globalThis.gc();
const heapReady = process.memoryUsage().heapUsed;
const t5 = clock();
const flushed = await flush();
const t6 = clock();
globalThis.gc();
const heapExported = process.memoryUsage().heapUsed;
process.stdout.write(
  `${JSON.stringify({
    sinceProcessStart: t0,
    base: t1 - t0,
    import: t2 - t1,
    register: t3 - t2,
    firstSpan: t4 - t3,
    ready: t4 - t0,
    readyCpu: cpu4 - cpu0,
    baseCpu: cpu1 - cpu0,
    export: t6 - t5,
    flushed,
    heapReady,
    heapExported,
    sampled: (span.spanContext().traceFlags & 1) === 1,
  })}\n`,
);
process.exit(0);
