/**
 * The provider's flush timeout in a real Node process: a script that awaits `forceFlush()` or
 * `shutdown()` of a span processor that never settles gets `'timeout'` once
 * `forceFlushTimeoutMillis` has passed (the specification: ForceFlush "SHOULD complete or abort
 * within some timeout"), instead of Node leaving the await unsettled (exit code 13). Runs the
 * built package, as an app does.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const fixture = new URL('./fixtures/hung-processor-flush.mjs', import.meta.url).pathname;

it('resolves an awaited flush and shutdown with timeout when a processor never settles', async () => {
  const { stdout } = await run(process.execPath, [fixture], { timeout: 20_000 });
  expect(stdout.trim().split('\n')).toEqual(['timeout', 'timeout']);
}, 30_000);
