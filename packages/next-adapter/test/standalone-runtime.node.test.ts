/**
 * `process.runtime.name` in a server started without the `next` command (standalone
 * `server.js`, a custom server): only `next` sets `NEXT_RUNTIME` in the environment, but Next.js's
 * bundler writes it into the server's code. The built node package, bundled the way Next.js does
 * it (`process.env.NEXT_RUNTIME` defined), must name the runtime with the variable unset.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

const run = promisify(execFile);

async function runtimeAttributes(define: Record<string, string>): Promise<Record<string, unknown>> {
  const bundled = await build({
    stdin: {
      contents: `import { registerTracing } from '@spanlite/next';
const { provider } = registerTracing({ env: {}, exporter: null, instrumentFetch: false });
console.log(JSON.stringify(provider.resource.attributes));`,
      resolveDir: new URL('.', import.meta.url).pathname,
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    conditions: ['node', 'import', 'default'],
    define,
    write: false,
    logLevel: 'silent',
  });
  const dir = mkdtempSync(join(tmpdir(), 'spanlite-standalone-'));
  try {
    const file = join(dir, 'server.mjs');
    writeFileSync(file, bundled.outputFiles[0]!.contents);
    const env = { ...process.env };
    delete env.NEXT_RUNTIME;
    const { stdout } = await run(process.execPath, [file], { env });
    return JSON.parse(stdout.trim().split('\n').at(-1)!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

it("names the node runtime where Next.js's bundler defined NEXT_RUNTIME and the environment has none", async () => {
  const attributes = await runtimeAttributes({ 'process.env.NEXT_RUNTIME': '"nodejs"' });
  expect(attributes['process.runtime.name']).toBe('nodejs');
  expect(attributes['process.runtime.version']).toBe(process.versions.node);
}, 60_000);

it('names no runtime outside Next.js (nothing defined, nothing in the environment)', async () => {
  const attributes = await runtimeAttributes({});
  expect(attributes['process.runtime.name']).toBeUndefined();
}, 60_000);
