import { copyFile, mkdir } from 'node:fs/promises';
import { build } from 'esbuild';
import { defineConfig } from 'tsup';

// The waterfall view: src/ui/app.ts bundled for the browser, with its page and stylesheet, into
// dist/ui/, which src/ui/ui-assets.ts serves. Built after the library (whose `clean` empties dist/).
async function buildUi(): Promise<void> {
  await mkdir('dist/ui', { recursive: true });
  await Promise.all([
    build({
      entryPoints: ['src/ui/app.ts'],
      outfile: 'dist/ui/app.js',
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
      minify: true,
      sourcemap: true,
      logLevel: 'warning',
    }),
    copyFile('src/ui/index.html', 'dist/ui/index.html'),
    copyFile('src/ui/style.css', 'dist/ui/style.css'),
  ]);
}

// Node only: a local collector (node:http, node:fs, node:zlib). ESM, with types for the library.
export default defineConfig([
  {
    entry: { index: 'src/index.ts', cli: 'src/cli.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    dts: { entry: { index: 'src/index.ts' } },
    clean: true,
    splitting: true,
    onSuccess: buildUi,
  },
]);
