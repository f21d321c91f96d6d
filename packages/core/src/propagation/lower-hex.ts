function lowerHexTable(): Uint8Array {
  const table = new Uint8Array(128);
  for (let c = 0x30; c <= 0x39; c++) table[c] = 1;
  for (let c = 0x61; c <= 0x66; c++) table[c] = 1;
  return table;
}

/** `1` at the char codes of `0-9a-f`. */
const LOWER_HEX = /* @__PURE__ */ lowerHexTable();

/**
 * Whether `text[from, from + length)` is lowercase hex; the caller has checked the bounds. One
 * table lookup per character measured 1.3–1.5× faster than `/^[0-9a-f]{32}$/.test` on random
 * 32-digit ids in flat strings, and in traceparent extract ahead of the sticky regular expression
 * used before (2.7× the reference against 2.3–2.6×, interleaved; Node 20, bench/RESULTS.md).
 */
export function isLowerHexAt(text: string, from: number, length: number): boolean {
  const end = from + length;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f || LOWER_HEX[c] !== 1) return false;
  }
  return true;
}

export const HEX_INVALID = 0;
export const HEX_ZERO = 1;
export const HEX_NONZERO = 2;

/**
 * One pass over `text[from, from + length)`: {@link HEX_INVALID} unless lowercase hex, else
 * {@link HEX_ZERO} when every digit is `0` (an invalid id) or {@link HEX_NONZERO}. Folding the
 * all-zero check into the scan spares a second pass over each id in B3 extract.
 */
export function scanLowerHex(text: string, from: number, length: number): number {
  const end = from + length;
  let nonZero = 0;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f || LOWER_HEX[c] !== 1) return HEX_INVALID;
    nonZero |= c ^ 0x30;
  }
  return nonZero === 0 ? HEX_ZERO : HEX_NONZERO;
}
