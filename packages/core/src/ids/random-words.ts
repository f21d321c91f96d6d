/**
 * Random 32-bit words for trace and span ids, drawn from `crypto.getRandomValues` in blocks of
 * 16384 words (64 KiB, the most one call may fill), so an id costs a few array reads instead of a crypto call. Never Math.random: ids
 * must not be predictable.
 */
const POOL_WORDS = 16384;

/**
 * Fills `pool` through the `getRandomValues` of `crypto`'s class, not a replacement put on the
 * object itself: Next.js (with `cacheComponents`) puts its own there, which counts random bytes
 * read while it prerenders a route as the route's own IO and aborts the prerender; ids are no part
 * of what a route renders. (A spy on `crypto.getRandomValues` does not see these reads either.)
 * Where the class has none (a `crypto` that is a plain object), the object's own.
 */
function fillRandom(pool: Uint32Array): void {
  const ofClass = Object.getPrototypeOf(crypto)?.getRandomValues;
  (typeof ofClass === 'function' ? ofClass : crypto.getRandomValues).call(crypto, pool);
}

let pool: Uint32Array | undefined;
let next = POOL_WORDS;

export function randomWord(): number {
  if (next === POOL_WORDS) {
    pool ??= new Uint32Array(POOL_WORDS);
    fillRandom(pool);
    next = 0;
  }
  return pool![next++]!;
}
