import { expect, it } from 'vitest';
import { flushIntervalMillis } from './flush-interval';

// What Next.js's own server (`next start`) hands its edge sandbox: its environment, with the
// server's origin, and NEXT_RUNTIME=edge.
const SANDBOX = { NEXT_RUNTIME: 'edge', __NEXT_PRIVATE_ORIGIN: 'http://localhost:3000' };

it("flushes 1 s apart at the most often in the edge sandbox of Next.js's own server", () => {
  expect(flushIntervalMillis(SANDBOX)).toBe(1000);
});

it('flushes 20 ms apart where a function may freeze, or nothing says it runs in that sandbox', () => {
  expect(flushIntervalMillis({})).toBe(20);
  // the node server itself (its flushes may go to no waitUntil the server waits for)
  expect(flushIntervalMillis({ ...SANDBOX, NEXT_RUNTIME: 'nodejs' })).toBe(20);
  // an edge runtime elsewhere (Vercel's, a Worker), or Next.js started without its server
  expect(flushIntervalMillis({ NEXT_RUNTIME: 'edge' })).toBe(20);
  for (const variable of ['AWS_LAMBDA_FUNCTION_NAME', 'K_SERVICE']) {
    expect(flushIntervalMillis({ ...SANDBOX, [variable]: '1' }), variable).toBe(20);
  }
  // `next dev` (its environment has NODE_ENV=development): spans in the collector at once, and
  // none lost on Ctrl-C, which the dev server does not wait through
  expect(flushIntervalMillis({ ...SANDBOX, NODE_ENV: 'development' })).toBe(20);
  expect(flushIntervalMillis({ ...SANDBOX, NODE_ENV: 'production' })).toBe(1000);
});
