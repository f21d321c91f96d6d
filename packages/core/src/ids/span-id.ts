import { wordToHex } from './hex';
import { randomWord } from './random-words';

/** A fresh random span id, never all zero: returns its high word and leaves the low word in `spanIdLow`. */
export function nextSpanIdWords(): number {
  let high: number;
  let low: number;
  do {
    high = randomWord();
    low = randomWord();
  } while ((high | low) === 0);
  spanIdLow = low;
  return high;
}

/**
 * The low word of the id last made by `nextSpanIdWords`: two numbers come back without an array
 * or object per span (the caller reads it at once, on the same synchronous path).
 */
export let spanIdLow = 0;

export function spanIdToHex(high: number, low: number): string {
  return wordToHex(high) + wordToHex(low);
}
