// What tracing adds to an edge bundle: spanlite's stacks and the reference SDK's, each bundled by
// esbuild for the edge (the `edge-light` and `browser` conditions and `browser` fields, as Next.js's
// edge entries and workers resolve), minified and gzipped, `@opentelemetry/api` left out (the app
// has its one copy either way). Sizes are deterministic: one build each, no rounds.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { EDGE_BUILD_OPTIONS } from './edge-build.mjs';

const resolveDir = new URL('.', import.meta.url).pathname;

async function gzippedSize(contents) {
  const result = await build({
    ...EDGE_BUILD_OPTIONS,
    stdin: { contents, resolveDir },
    format: 'esm',
    external: ['@opentelemetry/api'],
  });
  return gzipSync(result.outputFiles[0].contents).length;
}

const stacks = [
  {
    name: 'tracer + batch processor + OTLP/HTTP exporter + W3C propagator',
    spanlite: `
export { BatchSpanProcessor, TracerProvider, W3CTraceContextPropagator } from '@spanlite/core';
export { OtlpTraceExporter } from '@spanlite/exporters';`,
    reference: `
export { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
export { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
export { W3CTraceContextPropagator } from '@opentelemetry/core';`,
    note: 'reference: JSON only; spanlite: protobuf and JSON',
  },
  {
    name: 'the same with protobuf, baggage and B3',
    spanlite: `
export { BatchSpanProcessor, TracerProvider, W3CTraceContextPropagator, W3CBaggagePropagator } from '@spanlite/core';
export { OtlpTraceExporter } from '@spanlite/exporters';
export { B3Propagator, propagatorFromEnv } from '@spanlite/propagation';`,
    reference: `
export { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
export { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
export { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
export { B3Propagator } from '@opentelemetry/propagator-b3';`,
  },
  {
    name: '@spanlite/next: registerTracing + withTracing + withEdgeTracing',
    spanlite: "export { registerTracing, withTracing, withEdgeTracing } from '@spanlite/next';",
  },
];

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
for (const stack of stacks) {
  const ours = await gzippedSize(stack.spanlite);
  let line = `${stack.name}: spanlite ${kb(ours)}`;
  if (stack.reference !== undefined) {
    const reference = await gzippedSize(stack.reference);
    line += `, reference ${kb(reference)}, spanlite / reference ${(ours / reference).toFixed(2)}`;
  }
  console.log(`${line}${stack.note === undefined ? '' : ` (${stack.note})`}`);
}
