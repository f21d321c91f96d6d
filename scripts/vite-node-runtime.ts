import { dirname } from 'node:path';
import type { Plugin } from 'vite';
import { nodeRuntimeFile, RUNTIME_EDGE_IMPORT } from './tsup-runtime.ts';

/** The vitest twin of the node build's swap: `./runtime/edge` resolves to `./runtime/node.ts`. */
export function nodeRuntimeResolver(): Plugin {
  return {
    name: 'spanlite-node-runtime',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer || !RUNTIME_EDGE_IMPORT.test(source)) return null;
      return nodeRuntimeFile(dirname(importer), source) ?? null;
    },
  };
}
