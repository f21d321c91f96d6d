import { wordToHex } from './hex';
import { randomWord } from './random-words';

/** A random trace id, 32 lowercase hex digits, never all zero. */
export function randomTraceIdHex(): string {
  let w0: number;
  let w1: number;
  let w2: number;
  let w3: number;
  do {
    w0 = randomWord();
    w1 = randomWord();
    w2 = randomWord();
    w3 = randomWord();
  } while ((w0 | w1 | w2 | w3) === 0);
  return wordToHex(w0) + wordToHex(w1) + wordToHex(w2) + wordToHex(w3);
}

/**
 * A trace id shared by every local span of the trace (a child copies one reference). A new
 * trace's id is drawn when first read (propagation, a ratio sampler, export), not when its root
 * span starts: a span that nobody reads before export costs no random draw on its hot path.
 */
export class TraceId {
  private _hex: string | undefined;

  private constructor(hex: string | undefined) {
    this._hex = hex;
  }

  /** A new trace's id, drawn on first read. */
  static random(): TraceId {
    return new TraceId(undefined);
  }

  /** A remote parent's id: 32 lowercase hex digits, already validated. */
  static fromHex(hex: string): TraceId {
    return new TraceId(hex);
  }

  get hex(): string {
    return (this._hex ??= randomTraceIdHex());
  }

  /** The top 24 of the least-significant 56 bits: the high part of the randomness value R. */
  get randomHigh(): number {
    return Number.parseInt(this.hex.slice(18, 24), 16);
  }

  /** The low 32 bits of R. */
  get randomLow(): number {
    return Number.parseInt(this.hex.slice(24, 32), 16);
  }
}
