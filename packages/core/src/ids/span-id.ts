import { wordsToHex } from './hex';
import { randomWord } from './random-words';

/** A random span id, 16 lowercase hex digits, never all zero. */
export function randomSpanId(): string {
  let high: number;
  let low: number;
  do {
    high = randomWord();
    low = randomWord();
  } while ((high | low) === 0);
  return wordsToHex(high, low);
}
