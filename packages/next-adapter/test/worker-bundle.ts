import { type BuildOptions, build } from 'esbuild';

/**
 * A Worker's script, as wrangler bundles one: the fixture `name` (in ./fixtures) and what it
 * imports, as one ES module, with the OTLP endpoint `endpoint` defined as `__OTLP_ENDPOINT__`.
 * `resolve` says which builds the packages resolve to (conditions) and what stays an import.
 */
export async function workerBundle(
  name: string,
  endpoint: string,
  resolve: Pick<BuildOptions, 'conditions' | 'external' | 'plugins'>,
): Promise<string> {
  const bundle = await build({
    entryPoints: [new URL(`./fixtures/${name}`, import.meta.url).pathname],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    mainFields: ['module', 'main'],
    define: { __OTLP_ENDPOINT__: JSON.stringify(endpoint) },
    logLevel: 'silent',
    ...resolve,
  });
  return bundle.outputFiles[0]!.text;
}
