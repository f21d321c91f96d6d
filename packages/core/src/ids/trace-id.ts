import { hexToWord, wordToHex } from './hex';
import { randomWord } from './random-words';

/**
 * A trace id as four big-endian 32-bit words, shared by every local span of the trace, so a child
 * copies one reference. Hex is made on first read (propagation, export) and then kept.
 */
export class TraceId {
  private _hex: string | undefined;

  constructor(
    readonly w0: number,
    readonly w1: number,
    readonly w2: number,
    readonly w3: number,
    hex?: string,
  ) {
    this._hex = hex;
  }

  /** A fresh random trace id, never all zero. */
  static random(): TraceId {
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
    return new TraceId(w0, w1, w2, w3);
  }

  /** From 32 lowercase hex digits already validated (a remote parent's id). */
  static fromHex(hex: string): TraceId {
    return new TraceId(
      hexToWord(hex, 0),
      hexToWord(hex, 8),
      hexToWord(hex, 16),
      hexToWord(hex, 24),
      hex,
    );
  }

  get hex(): string {
    return (this._hex ??=
      wordToHex(this.w0) + wordToHex(this.w1) + wordToHex(this.w2) + wordToHex(this.w3));
  }

  /** The top 24 of the least-significant 56 bits: the randomness value R's high part. */
  get randomHigh(): number {
    return this.w2 & 0xffffff;
  }

  /** The low 32 bits of R. */
  get randomLow(): number {
    return this.w3;
  }
}
