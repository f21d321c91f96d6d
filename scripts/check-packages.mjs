// Checks every built package as a user's bundler and runtime would see it:
// - publint: the package.json points at files that exist, with sound conditions;
// - @arethetypeswrong/cli: the types resolve for node10, node16 (CJS and ESM) and bundlers;
// - the edge build imports no Node built-in, and loads in the edge VM without `process` or `Buffer`;
// - the declarations compile in a strict consumer (`exactOptionalPropertyTypes`, `skipLibCheck` off).

import { AsyncLocalStorage } from 'node:async_hooks';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { EdgeVM } from '@edge-runtime/vm';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const packages = readdirSync(join(root, 'packages')).map((dir) => join(root, 'packages', dir));
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
let failed = false;

function run(label, command, args) {
  try {
    execFileSync(command, args, { stdio: 'pipe', cwd: root });
    console.log(`ok   ${label}`);
  } catch (error) {
    failed = true;
    console.log(`FAIL ${label}\n${error.stdout}${error.stderr}`);
  }
}

async function checkEdgeBuild(dir, name) {
  const entry = join(dir, 'dist/edge/index.js');
  const nodeImports = [];
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['edge-light', 'worker', 'browser', 'import', 'default'],
    logLevel: 'silent',
    plugins: [
      {
        name: 'forbid-node-builtins',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) => {
            if (builtins.has(args.path)) {
              nodeImports.push(`${args.path} (from ${args.importer})`);
              return { path: args.path, external: true };
            }
            return undefined;
          });
        },
      },
    ],
  }).catch((error) => ({ error }));
  if (result.error || nodeImports.length > 0) {
    failed = true;
    console.log(
      `FAIL ${name}: edge build ${result.error?.message ?? `imports ${nodeImports.join(', ')}`}`,
    );
    return;
  }
  try {
    const vm = new EdgeVM({ extend: (context) => Object.assign(context, { AsyncLocalStorage }) });
    vm.evaluate(result.outputFiles[0].text);
    console.log(`ok   ${name}: edge build imports no Node built-in and loads in the edge VM`);
  } catch (error) {
    failed = true;
    console.log(`FAIL ${name}: edge build throws in the edge VM: ${error.stack ?? error}`);
  }
}

const names = [];
for (const dir of packages) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const { name } = pkg;
  names.push(name);
  if (!existsSync(join(dir, 'dist'))) {
    failed = true;
    console.log(`FAIL ${name}: not built (run npm run build)`);
    continue;
  }
  run(`${name}: publint`, 'npx', ['publint', '--strict', dir]);
  // devtools is a Node-only, ESM-only tool (a local collector and its CLI): no edge build to check.
  const nodeOnly = pkg.exports?.['.']?.['edge-light'] === undefined;
  const attwProfile = nodeOnly ? ['--profile', 'esm-only'] : [];
  run(`${name}: arethetypeswrong`, 'npx', [
    'attw',
    '--pack',
    dir,
    '--format',
    'ascii',
    ...attwProfile,
  ]);
  if (!nodeOnly) await checkEdgeBuild(dir, name);
}

/**
 * Every optional member of the public option objects takes `undefined`, as the code treats it
 * (as if left out): `registerTracing({ sampler: custom ? sampler : undefined })` compiles under
 * `exactOptionalPropertyTypes`. A member that does not is named in the error.
 */
const OPTION_TYPES = {
  '@spanlite/core': [
    'W3CTraceContextPropagatorOptions',
    'CompositePropagatorOptions',
    'TracerProviderOptions',
    'RegisterOptions',
    'BatchSpanProcessorOptions',
    'ParentBasedSamplerOptions',
    'SamplerOptions',
    'ErrorBufferOptions',
    'SpanLimitsOptions',
  ],
  '@spanlite/propagation': ['B3PropagatorOptions'],
  '@spanlite/exporters': ['OtlpTraceExporterOptions', 'ConsoleSpanExporterOptions', 'RetryOptions'],
  '@spanlite/next': ['RegisterTracingOptions', 'WithTracingOptions'],
};
const OPTIONS_TAKE_UNDEFINED = [
  ...Object.entries(OPTION_TYPES).map(
    ([name, types]) => `import type { ${types.join(', ')} } from '${name}';\n`,
  ),
  'type OptionalRejectingUndefined<T> = {\n',
  '  [K in keyof T]-?: {} extends Pick<T, K> ? ({ [P in K]: undefined } extends Pick<T, K> ? never : K) : never;\n',
  '}[keyof T];\n',
  'type TakesUndefined<K extends never> = K;\n',
  ...Object.values(OPTION_TYPES)
    .flat()
    .map(
      (type) => `export type ${type}Check = TakesUndefined<OptionalRejectingUndefined<${type}>>;\n`,
    ),
].join('');

/**
 * An app's TypeScript with the strictest options that reach a library's types: every package
 * imported, `exactOptionalPropertyTypes` on and the declaration files checked (`skipLibCheck` off,
 * which some apps set). A class whose declared field is `T | undefined` where the interface it
 * implements has an optional `T` fails there, and nowhere else.
 */
function checkStrictConsumer(names) {
  // inside node_modules, so that the workspace's packages resolve from it
  const dir = join(root, 'node_modules/.cache/spanlite-strict-consumer');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'consumer.ts'),
    names.map((name) => `import '${name}';\n`).join('') + OPTIONS_TAKE_UNDEFINED,
  );
  const compilerOptions = {
    strict: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: false,
    noEmit: true,
    module: 'esnext',
    moduleResolution: 'bundler',
    target: 'es2022',
    lib: ['es2022', 'dom'],
    types: ['node'],
  };
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions, files: ['consumer.ts'] }),
  );
  run('the declarations in a strict consumer', 'npx', ['tsc', '-p', join(dir, 'tsconfig.json')]);
  rmSync(dir, { recursive: true, force: true });
}

checkStrictConsumer(names);

if (failed) process.exit(1);
