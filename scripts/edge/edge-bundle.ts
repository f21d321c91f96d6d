import { build } from 'esbuild';

/** The package conditions an edge bundler (Next.js's edge entries, workerd) resolves. */
export const EDGE_CONDITIONS = ['edge-light', 'worker', 'browser', 'import', 'default'];

/**
 * `contents` bundled and minified as a user's bundler would for the edge, from the built packages,
 * `@opentelemetry/api` left out (the app has its one copy anyway): what bundle-size tests weigh.
 */
export async function minifiedEdgeBundle(
  contents: string,
  resolveDir: string,
): Promise<Uint8Array> {
  const result = await build({
    stdin: { contents, resolveDir },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    mainFields: ['module', 'main'],
    conditions: EDGE_CONDITIONS,
    external: ['@opentelemetry/api'],
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.contents;
}
