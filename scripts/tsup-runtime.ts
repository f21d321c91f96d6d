import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Options } from 'tsup';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

/**
 * Runtime-specific code lives in `src/runtime/edge.ts` (the edge-safe default) and, where Node
 * needs something else, in `src/runtime/node.ts` with the same exports. Sources import
 * `./runtime/edge`; the node build swaps in the node file. Everything else is shared.
 */
export const RUNTIME_EDGE_IMPORT = /(^|\/)runtime\/edge$/;

/** The node twin of an `./runtime/edge` import made from `dir`, when the package has one. */
export function nodeRuntimeFile(dir: string, specifier: string): string | undefined {
  const nodeFile = resolve(dir, specifier.replace(/edge$/, 'node.ts'));
  return existsSync(nodeFile) ? nodeFile : undefined;
}

export const nodeRuntimePlugin: Plugin = {
  name: 'spanlite-node-runtime',
  setup(build) {
    build.onResolve({ filter: RUNTIME_EDGE_IMPORT }, (args) => {
      const nodeFile = nodeRuntimeFile(args.resolveDir, args.path);
      return nodeFile === undefined ? undefined : { path: nodeFile };
    });
  },
};

const shared: Options = {
  format: ['esm', 'cjs'],
  target: 'es2022',
  platform: 'neutral',
  sourcemap: true,
  treeshake: true,
  splitting: false,
  external: [/^@opentelemetry\//, /^@spanlite\//],
};

/** Two builds of one package: `dist/edge` (no Node built-ins; carries the types) and `dist/node`. */
export function runtimeBuilds(entry: Record<string, string>): Options[] {
  return [
    { ...shared, entry, outDir: 'dist/edge', dts: true, clean: true },
    {
      ...shared,
      entry,
      outDir: 'dist/node',
      platform: 'node',
      dts: false,
      clean: true,
      esbuildPlugins: [nodeRuntimePlugin],
    },
  ];
}
