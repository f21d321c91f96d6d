import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSync } from 'esbuild';
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
  // Folds each package's constants into their uses while esbuild still knows them as `const`s
  // (an app's bundler meets them as `var`s of a module and keeps them); names stay as written.
  minifySyntax: true,
  splitting: false,
  external: [/^@opentelemetry\//, /^@spanlite\//],
};

/**
 * Private members named `_likeThis` (a leading underscore, then a letter) are renamed to short
 * names in the published files: users' bundlers minify identifiers but never property names, and
 * these names are never read from outside the package that declares them. A package opts in only
 * when that holds: no other package, test of the built output or serialized object uses such a name
 * (`__proto__`-style names and `_` alone are not matched).
 */
export const PRIVATE_MEMBER = /^_[A-Za-z]/;

export interface RuntimeBuildOptions {
  /** Rename `_private` members in the output (see {@link PRIVATE_MEMBER}). */
  manglePrivateMembers?: boolean;
}

/**
 * The renaming of one package's private members, shared by its edge and node builds so both
 * carry the same short names (stable source maps and stack traces across runtimes).
 */
function privateMemberNames(entry: Record<string, string>): Record<string, string | false> {
  const result = buildSync({
    entryPoints: Object.values(entry),
    bundle: true,
    write: false,
    outdir: 'mangle-probe',
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external: ['@opentelemetry/*', '@spanlite/*'],
    mangleProps: PRIVATE_MEMBER,
    logLevel: 'silent',
  });
  return result.mangleCache ?? {};
}

/** Two builds of one package: `dist/edge` (no Node built-ins; carries the types) and `dist/node`. */
export function runtimeBuilds(
  entry: Record<string, string>,
  options: RuntimeBuildOptions = {},
): Options[] {
  let mangle: Options['esbuildOptions'];
  if (options.manglePrivateMembers) {
    const names = privateMemberNames(entry);
    mangle = (esbuild) => {
      esbuild.mangleProps = PRIVATE_MEMBER;
      // A copy per build: esbuild adds the names it meets that the probe did not.
      esbuild.mangleCache = { ...names };
    };
  }
  return [
    { ...shared, entry, outDir: 'dist/edge', dts: true, clean: true, esbuildOptions: mangle },
    {
      ...shared,
      entry,
      outDir: 'dist/node',
      platform: 'node',
      dts: false,
      clean: true,
      esbuildPlugins: [nodeRuntimePlugin],
      esbuildOptions: mangle,
    },
  ];
}
