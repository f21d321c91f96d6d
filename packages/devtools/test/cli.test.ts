/**
 * The `spanlite` CLI as users run it: `node dist/cli.js dev --port 0` prints the real URL, serves,
 * and exits cleanly on SIGTERM and SIGINT; bad arguments, --help and a port in use.
 */
import { createServer } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, killAllClis, runCli } from './helpers/cli-process';
import { getJson, sendSpans } from './helpers/devtools-http';
import { CHECKOUT, CHECKOUT_TRACE_ID } from './helpers/sample-traces';

beforeAll(assertCliBuilt);
afterEach(killAllClis);

describe('spanlite dev', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'listens on the port it picked, serves, and exits 0 on %s',
    async (signal) => {
      const cli = runCli(['dev', '--port', '0', '--idle', '100']);
      const url = await cli.url;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:(\d+)$/);
      expect(Number(new URL(url).port)).toBeGreaterThan(0);
      expect(cli.stdout()).toContain(`POST ${url}/v1/traces`);

      await sendSpans(url, CHECKOUT, 'protobuf');
      const { status, body } = await getJson(url, `/traces/${CHECKOUT_TRACE_ID}`);
      expect(status).toBe(200);
      expect(body.spanCount).toBe(4);

      cli.child.kill(signal);
      expect(await cli.exit).toEqual({ code: 0, signal: null });
      expect(cli.stdout()).toContain(`spanlite dev: ${signal}, shutting down`);
      expect(cli.stderr()).toBe('');
    },
  );

  it('takes --host, --port=, and the store options', async () => {
    const cli = runCli([
      'dev',
      '--host',
      '127.0.0.1',
      '--port=0',
      '--max-traces',
      '1',
      '--tail-sampling',
      '--slower-than',
      '5',
      '--ratio',
      '1',
    ]);
    const url = await cli.url;
    await sendSpans(url, CHECKOUT);
    await sendSpans(url, [{ ...CHECKOUT[0]!, traceId: 'c'.repeat(32) }]);
    const { body } = await getJson(url, '/stats');
    // --max-traces 1: the first trace was evicted.
    expect(body.totalTraces).toBe(1);
    expect(body.dropped.tracesEvicted).toBe(1);
    cli.child.kill('SIGTERM');
    expect((await cli.exit).code).toBe(0);
  });

  it('exits 1 with a clear message when the port is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = blocker.address() as { port: number };
      const cli = runCli(['dev', '--port', String(port)]);
      expect(await cli.exit).toEqual({ code: 1, signal: null });
      expect(cli.stderr()).toContain(`spanlite dev: cannot start: 127.0.0.1:${port} is in use`);
      expect(cli.stdout()).toBe('');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('spanlite arguments', () => {
  it.each([
    [['dev', '--port', 'abc'], /--port needs a number from 0 to 65535/],
    [['dev', '--port', '70000'], /--port/],
    [['dev', '--port'], /--port/],
    [['dev', '--port', '1.5'], /--port needs a whole number/],
    [['dev', '--idle', '-5'], /--idle/],
    [['dev', '--ratio', '2', '--tail-sampling'], /--ratio/],
    [['dev', '--ratio', '0.5'], /apply with --tail-sampling/],
    [['dev', '--data-dir'], /--data-dir needs a directory/],
    [['dev', '--verbose'], /unknown option "--verbose"/],
    [['serve'], /unknown command "serve"/],
  ])('%j exits 2 with the problem and the usage on stderr', async (args, message) => {
    const cli = runCli(args);
    expect(await cli.exit).toEqual({ code: 2, signal: null });
    expect(cli.stderr()).toMatch(message);
    expect(cli.stderr()).toContain('Usage: spanlite dev [options]');
    expect(cli.stdout()).toBe('');
  });

  it.each([[['--help']], [['-h']], [['dev', '--help']], [[]]])(
    '%j prints the usage and exits 0',
    async (args) => {
      const cli = runCli(args);
      expect(await cli.exit).toEqual({ code: 0, signal: null });
      expect(cli.stdout()).toContain('Usage: spanlite dev [options]');
      expect(cli.stdout()).toContain('--data-dir <dir>');
      expect(cli.stderr()).toBe('');
    },
  );

  it('--version prints the version', async () => {
    const cli = runCli(['--version']);
    expect(await cli.exit).toEqual({ code: 0, signal: null });
    expect(cli.stdout()).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
  });
});
