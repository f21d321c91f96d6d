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
