/**
 * `withTracing` beyond Next.js, in the runtimes the README names: a Bun and a Deno server (the
 * npm packages' binaries) with a traced handler, asked once with a traceparent. The trace is
 * continued, the handler's span is a child across awaits (AsyncLocalStorage of the Node build), and
 * the response carries `traceresponse`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const bin = (name: string) =>
  new URL(`../../../node_modules/.bin/${name}`, import.meta.url).pathname;
const fixture = new URL('./fixtures/serve-traced.mjs', import.meta.url).pathname;

interface Outcome {
  runtime: string;
  body: string;
  traceresponse: string | null;
  spans: { name: string; kind: number; traceId: string; spanId: string; parentSpanId?: string }[];
}

const runtimes: [string, string[]][] = [
  ['bun', [fixture]],
  ['deno', ['run', '--allow-net', '--allow-env', '--allow-read', '--no-lock', fixture]],
];

it.each(runtimes)(
  'traces a handler served by %s',
  async (runtime, args) => {
    const { stdout } = await run(bin(runtime), args, {
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
    });
    const outcome = JSON.parse(stdout.trim().split('\n').at(-1)!) as Outcome;
    expect(outcome.runtime).toBe(runtime);
    expect(outcome.body).toBe('ok');
    const server = outcome.spans.find((span) => span.name === 'GET /hello')!;
    const child = outcome.spans.find((span) => span.name === 'child')!;
    expect(server).toMatchObject({
      kind: 1,
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      parentSpanId: '00f067aa0ba902b7',
    });
    expect(child.parentSpanId).toBe(server.spanId);
    expect(outcome.traceresponse).toBe(`00-${server.traceId}-${server.spanId}-01`);
  },
  90_000,
);
