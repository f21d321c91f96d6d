import { defineConfig } from 'tsup';

// Node only: a local collector (node:http, node:fs, node:zlib). ESM, with types for the library.
export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    dts: { entry: { index: 'src/index.ts' } },
    clean: true,
    splitting: true,
  },
]);
