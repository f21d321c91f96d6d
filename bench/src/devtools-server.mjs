// The collector under test for devtools.bench.mjs, in a process of its own so that the load
// generator does not share its event loop: starts the built @spanlite/devtools `startDevServer`
// with the options it is given (JSON in argv[2]), tells its parent the port over IPC, and answers
// `{ type: 'sample', gc? }` with its memory (after a full collection when `gc`, given `--expose-gc`) and the store's counters (a side channel of the bench, not an
// endpoint of the product). `{ type: 'close' }` closes the server and exits (which also writes a
// `--cpu-prof` profile, when the process was started with one).
import { startDevServer } from '@spanlite/devtools';

const options = JSON.parse(process.argv[2] ?? '{}');
let errors = 0;
const server = await startDevServer({
  ...options,
  port: 0,
  onError: (error) => {
    if (errors++ < 5) console.error('devtools-server:', error);
  },
});

process.on('message', async (message) => {
  if (message.type === 'sample') {
    if (message.gc) globalThis.gc?.();
    const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
    const cpu = process.cpuUsage();
    process.send({
      type: 'sample',
      id: message.id,
      at: performance.now(),
      memory: { rss, heapUsed, heapTotal, external, arrayBuffers },
      cpuUs: cpu.user + cpu.system,
      counters: server.store.counters(),
      errors,
    });
  } else if (message.type === 'close') {
    await server.close();
    process.disconnect();
    process.exit(0);
  }
});
process.send({ type: 'ready', port: server.port });
