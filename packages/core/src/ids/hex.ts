/** Lowercase, zero-padded hex of one unsigned 32-bit word. */
export function wordToHex(word: number): string {
  return (word >>> 0).toString(16).padStart(8, '0');
}

/** Eight hex digits to a word; the caller has validated the digits. */
export function hexToWord(hex: string, offset: number): number {
  return Number.parseInt(hex.slice(offset, offset + 8), 16) >>> 0;
}
