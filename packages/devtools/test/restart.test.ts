/**
 * Persistence through the real CLI: `spanlite dev --data-dir` acknowledges a request only once its
 * spans are in the log, so after `kill -9` mid-stream, or a clean stop, a restart on the same
 * directory shows every acknowledged span, each once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { assertCliBuilt, killAllClis, runCli } from './helpers/cli-process';
import { getJson } from './helpers/devtools-http';
import { hexId, type OtlpEncoding, otlpRequest, type SimpleSpan } from './helpers/otlp-bodies';
import { BASE } from './helpers/sample-traces';

beforeAll(assertCliBuilt);
const dirs: string[] = [];
afterEach(async () => {
  await killAllClis();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const SHARED_TRACES = 8;
const ENCODINGS: OtlpEncoding[] = ['protobuf', 'json', 'protobuf+gzip', 'json+gzip'];
const ownTrace = (request: number): string => `a${hexId(request, 31)}`;
const sharedTrace = (request: number): string => `b${hexId(request % SHARED_TRACES, 31)}`;

/**
 * Request `n`'s ten spans: five of its own trace (a root and four children) and five of a trace it
 * shares with every eighth request (whose root never arrives), so that traces span requests.
 */
function requestSpans(n: number): SimpleSpan[] {
  const spans: SimpleSpan[] = [];
  for (let j = 0; j < 10; j++) {
    const own = j < 5;
    spans.push({
      traceId: own ? ownTrace(n) : sharedTrace(n),
      spanId: hexId(n * 16 + j, 16),
      parentSpanId: own ? (j === 0 ? undefined : hexId(n * 16, 16)) : 'ffffffffffffffff',
      service: own ? `service-${j}` : 'shared',
      name: `op ${n}.${j}`,
      start: BASE + n + j,
      end: BASE + n + j + 0.5,
      attributes: { request: n, span: j },
    });
  }
  return spans;
}

/** Whether the server acknowledged the request (200, full success). */
async function send(url: string, n: number): Promise<boolean> {
  const { body, headers } = otlpRequest(requestSpans(n), ENCODINGS[n % ENCODINGS.length]);
  const response = await fetch(`${url}/v1/traces`, { method: 'POST', headers, body });
  const answer = new Uint8Array(await response.arrayBuffer());
  if (response.status !== 200) throw new Error(`request ${n}: ${response.status}`);
  // Full success is `{}` in JSON and an empty body in protobuf.
  expect(answer.length).toBeLessThanOrEqual(2);
  return true;
}

interface SpanView {
  spanId: string;
  parentSpanId: string | null;
  tags: { request: number; span: number };
}

/** Every acknowledged request's spans are shown, each once, and nothing never sent is. */
async function expectRecovered(url: string, acked: readonly number[], sent: number) {
  const views = new Map<string, SpanView[]>();
  const traceIds = new Set([...acked.map(ownTrace), ...acked.map(sharedTrace)]);
  for (const traceId of traceIds) {
    const { status, body } = await getJson(url, `/traces/${traceId}`);
    expect(status, traceId).toBe(200);
    const spans = body.spans as SpanView[];
    const ids = spans.map((span) => span.spanId);
    expect(new Set(ids).size, `duplicates in ${traceId}`).toBe(ids.length);
    expect(body.spanCount).toBe(ids.length);
    for (const span of spans) expect(span.tags.request).toBeLessThan(sent);
    views.set(traceId, spans);
  }
  const missing: string[] = [];
  for (const n of acked) {
    for (const span of requestSpans(n)) {
      const shown = views.get(span.traceId)!.find((view) => view.spanId === span.spanId);
      if (shown === undefined) missing.push(`${n}/${span.spanId}`);
      else expect(shown.tags).toEqual(span.attributes);
    }
  }
  expect(missing).toEqual([]);
  for (const n of acked) {
    const own = views.get(ownTrace(n))!;
    expect(own).toHaveLength(5);
    expect(own[0]).toMatchObject({ spanId: hexId(n * 16, 16), parentSpanId: null });
  }
}

it('shows every acknowledged span after kill -9 with requests in flight, each once', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'spanlite-restart-'));
  dirs.push(dataDir);
  const first = runCli(['dev', '--port', '0', '--data-dir', dataDir, '--idle', '60000']);
  const url = await first.url;

  const acked: number[] = [];
  let next = 0;
  let killed = false;
  const failures: unknown[] = [];
  // Eight clients sending at once, until the server dies under them.
  const client = async (): Promise<void> => {
    while (true) {
      const n = next++;
      try {
        await send(url, n);
      } catch (error) {
        if (!killed) failures.push(error);
        return;
      }
      acked.push(n);
      if (acked.length >= 200 && !killed) {
        killed = true;
        first.child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, client));
  expect(failures).toEqual([]);
  expect(await first.exit).toEqual({ code: null, signal: 'SIGKILL' });
  expect(first.stderr()).toBe('');

  const second = runCli(['dev', '--port', '0', '--data-dir', dataDir, '--idle', '60000']);
  const url2 = await second.url;
  const recovered = Number(/, (\d+) spans recovered from /.exec(second.stdout())?.[1]);
  expect(recovered).toBeGreaterThanOrEqual(acked.length * 10);
  await expectRecovered(url2, acked, next);
  const { body: stats } = await getJson(url2, '/stats');
  expect(stats.ingest.spansReplayed).toBe(recovered);

  // The recovered log takes new writes; a clean stop and a third start keep both.
  const more = Array.from({ length: 20 }, (_, i) => next + i);
  await Promise.all(more.map((n) => send(url2, n)));
  second.child.kill('SIGTERM');
  expect(await second.exit).toEqual({ code: 0, signal: null });
  expect(second.stderr()).toBe('');

  const third = runCli(['dev', '--port', '0', '--data-dir', dataDir]);
  const url3 = await third.url;
  await expectRecovered(url3, [...acked, ...more], next + more.length);
  third.child.kill('SIGTERM');
  expect((await third.exit).code).toBe(0);
}, 120_000);

it('recovers everything after a clean stop, and /stats reports the replayed spans', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'spanlite-restart-'));
  dirs.push(dataDir);
  const first = runCli(['dev', '--port', '0', '--data-dir', dataDir]);
  const url = await first.url;
  const requests = Array.from({ length: 40 }, (_, n) => n);
  await Promise.all(requests.map((n) => send(url, n)));
  first.child.kill('SIGTERM');
  expect(await first.exit).toEqual({ code: 0, signal: null });

  const second = runCli(['dev', '--port', '0', '--data-dir', dataDir]);
  const url2 = await second.url;
  expect(second.stdout()).toContain(`, 400 spans recovered from ${dataDir}`);
  await expectRecovered(url2, requests, requests.length);
  const { body: stats } = await getJson(url2, '/stats');
  expect(stats.totalTraces).toBe(40 + SHARED_TRACES);
  expect(stats.ingest).toMatchObject({ spansReplayed: 400, spansStored: 400, requests: 0 });
  expect(stats.store.logCorruptBytes).toBe(0);
  second.child.kill('SIGINT');
  expect((await second.exit).code).toBe(0);
}, 60_000);
