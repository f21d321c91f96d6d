/** Two lowercase hex digits for each byte value. */
const HEX_PAIRS: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);

/**
 * `bytes[start, end)` as lowercase hex, one table look-up per byte (ids are 8 or 16 bytes, so
 * this is 8 or 16 concatenations).
 */
export function bytesToHex(bytes: Uint8Array, start: number, end: number): string {
  let hex = '';
  for (let i = start; i < end; i++) hex += HEX_PAIRS[bytes[i]!];
  return hex;
}
