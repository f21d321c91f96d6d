// Starts the built example (`next start`) on a free loopback port, exporting OTLP/JSON to
// `otlpUrl`, and resolves once it answers. Used by the end-to-end tests and `npm run demo`. `dir`
// is the app's directory: this example's by default, or another one holding its sources with
// another Next.js (examples/next15-app), whose own `next` runs it.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const appDir = fileURLToPath(new URL('..', import.meta.url));

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function nextBin(dir) {
  return createRequire(join(dir, 'package.json')).resolve('next/dist/bin/next');
}

/** `next build` of the example; resolves with its output, rejects with it on failure. */
export function buildApp(dir = appDir) {
  return run(dir, process.execPath, [nextBin(dir), 'build'], { NEXT_TELEMETRY_DISABLED: '1' });
}

function run(dir, command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: dir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(output))));
  });
}

/** `next start` of the built example; resolves to { url, output(), stop() }. */
export async function startApp({ otlpUrl, env = {}, dir = appDir }) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [nextBin(dir), 'start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: dir,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited:\n${output}`);
    try {
      const response = await fetch(`${url}/`);
      if (response.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`next start did not answer in 30 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    output: () => output,
    /** SIGTERM, then SIGKILL after `killAfterMillis`; true if the server exited by itself. */
    async stop(killAfterMillis = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return true;
      let killed = false;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, killAfterMillis);
      await exited;
      clearTimeout(timer);
      return !killed;
    },
  };
}
