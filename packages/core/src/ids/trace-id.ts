import { wordsToHex } from './hex';
import { randomWord } from './random-words';

/**
 * A trace id shared by every local span of the trace (a child copies one reference). A new
 * trace's id is drawn when first needed (a ratio sampler reads its random bits; propagation and
 * export read its hex), not when its root span starts, and its hex is made only when read: a
 * span nobody reads before export draws nothing on its hot path.
 */
export class TraceId {
  private _hex: string | undefined;
  private _w0 = 0;
  private _w1 = 0;
  private _w2 = 0;
  private _w3 = 0;
  private _drawn: boolean;

  private constructor(hex: string | undefined) {
    this._hex = hex;
    this._drawn = hex !== undefined;
  }

  /** A new trace's id, drawn on first use. */
  static random(): TraceId {
    return new TraceId(undefined);
  }

  /** A remote parent's id: 32 lowercase hex digits, already validated. */
  static fromHex(hex: string): TraceId {
    return new TraceId(hex);
  }

  get hex(): string {
    if (this._hex !== undefined) return this._hex;
    this._drawLow();
    do {
      this._w0 = randomWord();
      this._w1 = randomWord();
    } while ((this._w0 | this._w1 | this._w2 | this._w3) === 0);
    this._hex = wordsToHex(this._w0, this._w1) + wordsToHex(this._w2, this._w3);
    return this._hex;
  }

  /** The top 24 of the least-significant 56 bits: the high part of the randomness value R. */
  get randomHigh(): number {
    if (this._hex !== undefined) return Number.parseInt(this._hex.slice(18, 24), 16);
    this._drawLow();
    return this._w2 & 0xffffff;
  }

  /** The low 32 bits of R. */
  get randomLow(): number {
    if (this._hex !== undefined) return Number.parseInt(this._hex.slice(24, 32), 16);
    this._drawLow();
    return this._w3;
  }

  /**
   * Draws the low 64 bits once: all a ratio sampler needs. The high half waits for the hex,
   * which a dropped root's id may never need.
   */
  private _drawLow(): void {
    if (this._drawn) return;
    this._drawn = true;
    this._w2 = randomWord();
    this._w3 = randomWord();
  }
}
