/**
 * The gzipped size of what an edge entry of a Next.js app carries for tracing: `registerTracing` +
 * `withTracing` + `withEdgeTracing` of the built package with the OTLP exporter, core and
 * propagation, bundled for the edge (`edge-light`) and minified, `@opentelemetry/api` left out
 * (the app has it anyway). The ceiling fails the build when the package grows past its budget.
 */
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

// Measured 2026-11-23: 25.3 KB, of which core (TracerProvider + BatchSpanProcessor) is 12.9 KB,
// the OTLP exporter 7.8 KB, propagation (OTEL_PROPAGATORS, B3) 1.5 KB and this package 3.1 KB.
// Issue 5's target is 12 KB: core alone is past it, so the target needs work in those packages.
// The ceiling leaves ~8% for the performance work under way in core and exporters.
const MAX_GZIP_BYTES = 27_500;

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
});
