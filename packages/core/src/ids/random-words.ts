/**
 * Random 32-bit words for trace and span ids, drawn from `crypto.getRandomValues` in blocks of
 * 16384 words (64 KiB, the most one call may fill), so an id costs a few array reads instead of a crypto call. Never Math.random: ids
 * must not be predictable.
 */
const POOL_WORDS = 16384;

/**
 * `getRandomValues` of the `Crypto` class, not a replacement put on the `crypto` object: Next.js
 * (with `cacheComponents`) puts its own there, which counts random bytes read while it prerenders a
 * route as the route's own IO and aborts the prerender; ids are no part of what a route renders.
 */
function randomFill(): (this: Crypto, array: Uint32Array) => unknown {
  const own = Object.getPrototypeOf(crypto)?.getRandomValues;
  return typeof own === 'function' ? own : crypto.getRandomValues;
}

let fill: ((this: Crypto, array: Uint32Array) => unknown) | undefined;
let pool: Uint32Array | undefined;
let next = POOL_WORDS;

export function randomWord(): number {
  if (next === POOL_WORDS) {
    pool ??= new Uint32Array(POOL_WORDS);
    fill ??= randomFill();
    fill.call(crypto, pool);
    next = 0;
  }
  return pool![next++]!;
}
