/**
 * The gzipped size of what an edge entry of a Next.js app carries for tracing: `registerTracing` +
 * `withTracing` + `withEdgeTracing` of the built package with the OTLP exporter, core and
 * propagation, bundled for the edge (`edge-light`) and minified, `@opentelemetry/api` left out
 * (the app has it anyway). The ceiling fails the build when the package grows past its budget.
 */
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

// Measured 2026-11-23 (with the working tree of core and exporters of that day): 26.3 KB in all,
// of which core (TracerProvider + BatchSpanProcessor) 13.0 KB, the OTLP exporter 8.7 KB,
// propagation (OTEL_PROPAGATORS, B3) 1.5 KB and this package 2.7 KB. Issue 5's target is 12 KB:
// core alone is past it, so the target needs work in those packages. The total's ceiling leaves
// room for the performance work under way there; this package's own share has a tight one.
const MAX_GZIP_BYTES = 30_000;
const MAX_OWN_GZIP_BYTES = 3_200;

async function edgeBundle(contents: string): Promise<Uint8Array> {
  const result = await build({
    stdin: { contents, resolveDir: new URL('.', import.meta.url).pathname },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    mainFields: ['module', 'main'],
    conditions: ['edge-light', 'worker', 'browser', 'import', 'default'],
    external: ['@opentelemetry/api'],
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.contents;
}

it(`keeps the edge bundle of registerTracing + withTracing + OTLP under ${MAX_GZIP_BYTES} bytes gzipped`, async () => {
  const bytes = await edgeBundle(
    "export { registerTracing, withTracing, withEdgeTracing } from '@spanlite/next';",
  );
  const gzipped = gzipSync(bytes).length;
  expect(gzipped).toBeLessThanOrEqual(MAX_GZIP_BYTES);
  // A bundle that lost the exporter would pass the ceiling without meaning anything.
  expect(new TextDecoder().decode(bytes)).toContain('/v1/traces');

  // What the other packages weigh alone, with everything of theirs this package uses.
  const dependencies = await edgeBundle(`
export { BatchSpanProcessor, isTracingSuppressed, keepTraceSegment, TracerProvider } from '@spanlite/core';
export { OtlpTraceExporter } from '@spanlite/exporters';
export { headersGetter, headersSetter, propagatorFromEnv, propagatorFromNames } from '@spanlite/propagation';
`);
  expect(gzipped - gzipSync(dependencies).length).toBeLessThanOrEqual(MAX_OWN_GZIP_BYTES);
});
