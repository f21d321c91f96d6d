import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Plugin } from 'vite';

/** The vitest twin of the node build's swap: `./runtime/edge` resolves to `./runtime/node.ts`. */
export function nodeRuntimeResolver(): Plugin {
  return {
    name: 'spanlite-node-runtime',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer || !/(^|\/)runtime\/edge$/.test(source)) return null;
      const nodeFile = resolve(dirname(importer), source.replace(/edge$/, 'node.ts'));
      return existsSync(nodeFile) ? nodeFile : null;
    },
  };
}
