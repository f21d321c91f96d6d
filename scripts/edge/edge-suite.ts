/**
 * Runs a package's runtime-neutral tests inside `@edge-runtime/vm`, the sandbox Next.js uses for
 * edge routes and middleware: each test file is bundled for the edge (`edge-light` conditions, no
 * Node built-ins resolvable, so an accidental `node:` import fails the bundle) and evaluated in a
 * fresh EdgeVM whose only addition is `AsyncLocalStorage`, as Next.js's edge sandbox adds it.
 * Each test of the file is then reported to vitest as a test of its own.
 *
 * Files named `*.node.test.ts` are node-only and skipped here.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EdgeVM } from '@edge-runtime/vm';
import { build } from 'esbuild';
import { describe, it } from 'vitest';
import { EDGE_CONDITIONS } from './edge-bundle';

const shim = fileURLToPath(new URL('./vitest-shim.ts', import.meta.url));

interface EdgeTestResult {
  name: string;
  error?: string;
  skipped?: boolean;
}

function findTests(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (
      entry.endsWith('.test.ts') &&
      !entry.endsWith('.node.test.ts') &&
      !entry.endsWith('.edge.test.ts')
    )
      found.push(path);
  }
  return found.sort();
}

/** `file` bundled for the edge VM; `define` as a bundler's (Next.js's defines, say). */
export async function bundleForEdge(
  file: string,
  define: Record<string, string> = {},
): Promise<string> {
  const result = await build({
    entryPoints: [file],
    define,
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'neutral',
    target: 'es2022',
    mainFields: ['module', 'main'],
    conditions: EDGE_CONDITIONS,
    alias: { vitest: shim },
    logLevel: 'silent',
    sourcemap: 'inline',
  });
  return result.outputFiles[0]!.text;
}

export function createEdgeVM(): EdgeVM {
  return new EdgeVM({
    extend: (context) => Object.assign(context, { AsyncLocalStorage }),
  });
}

async function runFile(file: string): Promise<EdgeTestResult[]> {
  let code: string;
  try {
    code = await bundleForEdge(file);
  } catch (error) {
    return [{ name: '(bundle for the edge)', error: String((error as Error).message) }];
  }
  const vm = createEdgeVM();
  try {
    vm.evaluate(code);
    return await vm.evaluate('__spanliteEdgeRun()');
  } catch (error) {
    return [{ name: '(evaluate in the edge VM)', error: String((error as Error)?.stack ?? error) }];
  }
}

/** Registers one vitest suite per runtime-neutral test file of the package at `packageDir`. */
export async function defineEdgeSuites(packageDir: string): Promise<void> {
  const root = resolve(packageDir);
  const files = findTests(join(root, 'src')).concat(safeFind(join(root, 'test')));
  // One file at a time: timing-sensitive tests should not share the event loop with other files.
  const runs: Array<readonly [string, EdgeTestResult[]]> = [];
  for (const file of files) runs.push([file, await runFile(file)] as const);
  for (const [file, results] of runs) {
    describe(`edge: ${relative(root, file)}`, () => {
      if (results.length === 0) it.fails('has no test', () => {});
      for (const result of results) {
        const body = () => {
          if (result.error) throw new Error(result.error);
        };
        if (result.skipped) it.skip(result.name, body);
        else it(result.name, body);
      }
    });
  }
}

function safeFind(dir: string): string[] {
  try {
    return findTests(dir);
  } catch {
    return [];
  }
}
