/**
 * Something a platform puts on `globalThis` (Next.js's or Vercel's stores), looked up until found
 * and then kept: it is set up with the global scope (each edge sandbox, the node server) and
 * stays, so that once found a request reads no global (in the edge runtime's VM a global read goes
 * through the context's interceptor, ~2.5 µs a request in bench/src/next.bench.mjs). While there
 * is none, every 64th call looks again.
 */
export function foundOnce<T>(find: () => T | undefined): () => T | undefined {
  let found: T | undefined;
  let lookups = 0;
  return () => {
    if (found === undefined && (lookups++ & 63) === 0) found = find();
    return found;
  };
}
