// The per-request cost of `withTracing` around a trivial route handler, shared by the node run and
// the edge-VM run of next.bench.mjs. `registerTracing` gets an exporter that accepts and drops
// every batch, so the cost measured is the adapter's and core's (span, attributes, trace headers,
// the flush after each response), not the network's.
import { registerTracing, withTracing } from '@spanlite/next';

export function setUpHandlers() {
  const dropped = { spans: 0 };
  registerTracing({
    serviceName: 'bench',
    env: {},
    instrumentFetch: false,
    exporter: {
      export(spans, done) {
        dropped.spans += spans.length;
        done({ code: 0 });
      },
      shutdown: () => Promise.resolve(),
      forceFlush: () => Promise.resolve(),
    },
  });
  const bare = async () => new Response('ok');
  const wrapped = withTracing(async () => new Response('ok'), { route: '/api/items' });
  return { bare, wrapped, dropped };
}

const URL_TEXT = 'http://localhost:3000/api/items?id=7';
const HEADERS = {
  'user-agent': 'bench/1.0',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
};

// CPU time of this process in µs, where the runtime offers it: `process.cpuUsage` in Node, a
// function the edge-VM run puts on the sandbox's globals (the VM has no `process`). On a machine
// shared with other work, wall time counts the time other processes run; CPU time does not.
function cpuMicros() {
  const fromHost = globalThis.__benchCpuMicros;
  if (typeof fromHost === 'function') return fromHost();
  const usage = globalThis.process?.cpuUsage?.();
  return usage === undefined ? Number.NaN : usage.user + usage.system;
}

async function timeRequests(handler, count) {
  const start = performance.now();
  const cpuStart = cpuMicros();
  for (let i = 0; i < count; i++) {
    const request = new Request(URL_TEXT, { headers: HEADERS });
    // Next.js hands handlers a request whose URL and headers it has already read (it routes by
    // them); undici builds both lazily, so read them here for both sides alike.
    if (request.headers === null || request.url === '') throw new Error('unexpected request');
    const response = await handler(request);
    if (response.status !== 200) throw new Error('unexpected status');
    // A server yields to the event loop between requests; let timers (the flush) run now and then.
    if (i % 500 === 499) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return {
    ns: ((performance.now() - start) * 1e6) / count,
    cpuNs: ((cpuMicros() - cpuStart) * 1e3) / count,
  };
}

/**
 * Interleaved rounds (bare, wrapped, bare, wrapped, ...) of `count` requests each, after a warm-up;
 * returns per round the ns per request of each and the difference, in wall time and in CPU time.
 */
export async function measureOverhead({ rounds = 9, count = 20_000 } = {}) {
  const { bare, wrapped, dropped } = setUpHandlers();
  await timeRequests(bare, 5_000);
  await timeRequests(wrapped, 5_000);
  const results = [];
  for (let r = 0; r < rounds; r++) {
    const b = await timeRequests(bare, count);
    const w = await timeRequests(wrapped, count);
    results.push({
      bareNs: b.ns,
      wrappedNs: w.ns,
      addedNs: w.ns - b.ns,
      bareCpuNs: b.cpuNs,
      wrappedCpuNs: w.cpuNs,
      addedCpuNs: w.cpuNs - b.cpuNs,
    });
  }
  // let the flushes scheduled by the last requests run
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { results, exportedSpans: dropped.spans };
}
