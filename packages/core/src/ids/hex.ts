/** Lowercase, zero-padded hex of one unsigned 32-bit word. */
export function wordToHex(word: number): string {
  return (word >>> 0).toString(16).padStart(8, '0');
}
