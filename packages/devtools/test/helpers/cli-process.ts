/** Runs the `spanlite` command (bin/spanlite.js → the built dist/cli.js) as a child process. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The file package.json's `bin` names: what `npx spanlite` runs. */
export const CLI = fileURLToPath(new URL('../../bin/spanlite.js', import.meta.url));
const BUILT = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Fails with a clear message when the package has not been built. */
export function assertCliBuilt(): void {
  if (!existsSync(BUILT)) {
    throw new Error(
      `${BUILT} is missing: build it first with \`npx turbo run build --filter=@spanlite/devtools\``,
    );
  }
}

export interface CliRun {
  readonly child: ChildProcess;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the URL the CLI prints once it listens; rejects if it exits first. */
  readonly url: Promise<string>;
  /** Resolves when the process has exited. */
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();

/** Starts `node bin/spanlite.js ...args`. */
export function runCli(args: readonly string[]): CliRun {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  // Wait for the end of the streams too, so that stdout() is complete after `exit`.
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  const url = new Promise<string>((resolve, reject) => {
    const onData = (): void => {
      const match = /spanlite dev: listening on (http:\/\/\S+?)(?:,|\s)/.exec(stdout);
      if (match) {
        child.stdout!.off('data', onData);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    exit.then(({ code, signal }) =>
      reject(new Error(`spanlite exited (${code ?? signal}) before listening:\n${stderr}`)),
    );
  });
  url.catch(() => {});
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    url,
    exit: exit.then(() => closed),
  };
}

/** SIGKILLs every CLI process still running (for afterEach). */
export async function killAllClis(): Promise<void> {
  const waits: Promise<unknown>[] = [];
  for (const child of running) {
    waits.push(new Promise((resolve) => child.once('exit', resolve)));
    child.kill('SIGKILL');
  }
  await Promise.all(waits);
}
