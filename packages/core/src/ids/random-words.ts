/**
 * Random 32-bit words for trace and span ids, drawn from `crypto.getRandomValues` in blocks of
 * 16384 words (64 KiB, the most one call may fill), so an id costs a few array reads instead of a crypto call. Never Math.random: ids
 * must not be predictable.
 */
const POOL_WORDS = 16384;
let pool: Uint32Array | undefined;
let next = POOL_WORDS;

export function randomWord(): number {
  if (next === POOL_WORDS) {
    pool ??= new Uint32Array(POOL_WORDS);
    crypto.getRandomValues(pool);
    next = 0;
  }
  return pool![next++]!;
}
