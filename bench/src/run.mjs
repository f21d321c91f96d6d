// Runs every `*.bench.mjs` beside this file (or those named on the command line), one after another,
// each in its own process so that one suite's garbage and JIT state do not colour the next.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const dir = new URL('.', import.meta.url).pathname;
const wanted = process.argv.slice(2);
const suites = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();
console.log(`node ${process.version} on ${process.platform}/${process.arch}\n`);
for (const suite of suites) {
  console.log(`## ${suite}\n`);
  execFileSync(process.execPath, ['--expose-gc', `${dir}${suite}`], { stdio: 'inherit' });
  console.log('');
}
