#!/usr/bin/env node
import { CliError, parseCliArgs, USAGE } from './cli-args';
import { startDevServer } from './server';
import { VERSION } from './version';

/** `spanlite dev`: runs the local collector until SIGINT or SIGTERM. */
async function main(argv: string[]): Promise<number> {
  let command: ReturnType<typeof parseCliArgs>;
  try {
    command = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    process.stderr.write(`spanlite: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (command.command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command.command === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const { options } = command;
  let server: Awaited<ReturnType<typeof startDevServer>>;
  try {
    server = await startDevServer({
      ...options,
      onError: (error) =>
        process.stderr.write(`spanlite dev: ${(error as Error)?.stack ?? error}\n`),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${options.host ?? '127.0.0.1'}:${options.port ?? 4318}`;
    const reason =
      code === 'EADDRINUSE'
        ? `${where} is in use (is another collector running? try --port)`
        : (error as Error).message;
    process.stderr.write(`spanlite dev: cannot start: ${reason}\n`);
    return 1;
  }
  const counters = server.store.counters();
  const recovered =
    options.dataDir === undefined
      ? ''
      : `, ${counters.spansReplayed} spans recovered from ${options.dataDir}`;
  process.stdout.write(
    `spanlite dev: listening on ${server.url}${recovered}\n` +
      `  OTLP/HTTP traces  POST ${server.url}/v1/traces (protobuf or JSON)\n` +
      `  waterfall view    ${server.url}/\n` +
      `  API               ${server.url}/traces/query, ${server.url}/stats\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.stdout.write(`spanlite dev: ${signal}, shutting down\n`);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`spanlite: ${(error as Error)?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
