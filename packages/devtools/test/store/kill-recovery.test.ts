import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterEach, expect, it } from 'vitest';
import { TraceStore } from '../../src/store/trace-store';
import { batchOfSpans, FIXTURE_STORE_OPTIONS } from './kill-fixture-batches';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Runs the fixture until it has acknowledged `acks` batches, then SIGKILLs it. */
async function ingestUntilKilled(dataDir: string, script: string, acks: number): Promise<number[]> {
  const child = spawn(process.execPath, [script, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acked: number[] = [];
  let pending = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop()!;
    for (const line of lines) acked.push(Number(line.slice('ack '.length)));
    if (acked.length >= acks) child.kill('SIGKILL');
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
  );
  expect({ code, signal, stderr }).toEqual({ code: null, signal: 'SIGKILL', stderr: '' });
  return acked;
}

it('recovers every acknowledged span after the process is killed with SIGKILL mid-stream', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'spanlite-kill-'));
  dirs.push(dir);
  const script = join(dir, 'ingest-until-killed.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./ingest-until-killed.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: script,
    logLevel: 'silent',
  });
  const dataDir = join(dir, 'data');

  const acked = await ingestUntilKilled(dataDir, script, 400);
  expect(acked.length).toBeGreaterThanOrEqual(400);
  // The log had rotated: the replay crosses segments.
  expect((await readdir(dataDir)).length).toBeGreaterThan(2);

  const store = await TraceStore.open({ ...FIXTURE_STORE_OPTIONS, dataDir });
  try {
    const missing: string[] = [];
    for (const batch of acked) {
      for (const span of batchOfSpans(batch)) {
        const trace = store.get(span.traceId);
        if (!trace?.spans.some((stored) => stored.spanId === span.spanId))
          missing.push(span.spanId);
      }
    }
    expect(missing).toEqual([]);
    // Nothing was stored twice, and nothing that was never sent.
    const stored = store.traces().flatMap((trace) => trace.spans.map((span) => span.spanId));
    expect(new Set(stored).size).toBe(stored.length);
    expect(stored.length).toBeGreaterThanOrEqual(acked.length * 20);
  } finally {
    await store.close();
  }
}, 60_000);
