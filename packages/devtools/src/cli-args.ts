import type { DevServerOptions } from './server';

/** What `spanlite <command> [options]` asked for. */
export type CliCommand =
  | { command: 'dev'; options: DevServerOptions }
  | { command: 'help' }
  | { command: 'version' };

export const USAGE = `Usage: spanlite dev [options]

A local trace collector: OTLP/HTTP receiver on /v1/traces, JSON API and waterfall view.

Options:
  --host <address>          address to listen on (default 127.0.0.1; on loopback, the API and
                            view answer only Host localhost, 127.0.0.1 or [::1]; 0.0.0.0 shares it)
  --port <n>                port to listen on (default 4318, the OTLP/HTTP port)
  --data-dir <dir>          keep spans in an append-only log there; restarts recover them
  --idle <ms>               a trace is complete after this long without a new span (default 10000)
  --max-traces <n>          traces kept in memory; the oldest are evicted first (default 10000)
  --max-bytes <n>           bytes of spans kept in memory (default 128 MiB)
  --max-body <n>            largest request body accepted, in bytes (default 20 MiB)
  --tail-sampling           keep a completed trace only if it has an error, is slow, or by ratio
  --slower-than <ms>        with --tail-sampling: keep traces slower than this (default 1000)
  --ratio <0..1>            with --tail-sampling: the share of other traces kept (default 0.1)
  -h, --help                show this help
  -v, --version             show the version
`;

export class CliError extends Error {}

function numberArg(
  name: string,
  raw: string | undefined,
  integer: boolean,
  max = Infinity,
): number {
  const value = Number(raw);
  if (raw === undefined || raw === '' || !Number.isFinite(value) || value < 0 || value > max) {
    throw new CliError(`${name} needs a number${max === Infinity ? '' : ` from 0 to ${max}`}`);
  }
  if (integer && !Number.isInteger(value)) throw new CliError(`${name} needs a whole number`);
  return value;
}

/** Parses argv (without node and the script); throws CliError with a message for the user. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    return { command: 'help' };
  }
  if (command === '-v' || command === '--version') return { command: 'version' };
  if (command !== 'dev') throw new CliError(`unknown command "${command}"`);

  const options: DevServerOptions = {};
  let tail = false;
  let slowerThanMs: number | undefined;
  let ratio: number | undefined;
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]!;
    const [name, inline] =
      flag.startsWith('--') && flag.includes('=') ? flag.split(/=(.*)/s) : [flag];
    const value = (): string | undefined => inline ?? rest[++i];
    switch (name) {
      case '-h':
      case '--help':
        return { command: 'help' };
      case '--host': {
        const host = value();
        if (!host) throw new CliError('--host needs an address');
        options.host = host;
        break;
      }
      case '--port':
        options.port = numberArg('--port', value(), true, 65535);
        break;
      case '--data-dir': {
        const dir = value();
        if (!dir) throw new CliError('--data-dir needs a directory');
        options.dataDir = dir;
        break;
      }
      case '--idle':
        options.idleMs = numberArg('--idle', value(), false);
        break;
      case '--max-traces':
        options.maxTraces = numberArg('--max-traces', value(), true);
        break;
      case '--max-bytes':
        options.maxBytes = numberArg('--max-bytes', value(), true);
        break;
      case '--max-body':
        options.maxBodyBytes = numberArg('--max-body', value(), true);
        break;
      case '--tail-sampling':
        tail = true;
        break;
      case '--slower-than':
        slowerThanMs = numberArg('--slower-than', value(), false);
        break;
      case '--ratio':
        ratio = numberArg('--ratio', value(), false, 1);
        break;
      default:
        throw new CliError(`unknown option "${flag}"`);
    }
  }
  if (!tail && (slowerThanMs !== undefined || ratio !== undefined)) {
    throw new CliError('--slower-than and --ratio apply with --tail-sampling');
  }
  if (tail) options.tailSampling = { slowerThanMs: slowerThanMs ?? 1000, ratio: ratio ?? 0.1 };
  return { command: 'dev', options };
}
