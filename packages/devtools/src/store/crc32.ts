import * as zlib from 'node:zlib';

/**
 * CRC-32 (IEEE, zlib's) of a buffer. Node ≥ 20.15 has it natively (`zlib.crc32`); before that, a
 * table-driven version (the package supports Node ≥ 20.9).
 */
export function crc32(data: Uint8Array): number {
  const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
  return native === undefined ? tableCrc32(data) : native(data);
}

let table: Int32Array | undefined;

function makeTable(): Int32Array {
  const made = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    made[n] = c;
  }
  return made;
}

/** Exported for the test that checks it against zlib's. */
export function tableCrc32(data: Uint8Array): number {
  const t = (table ??= makeTable());
  let crc = -1;
  for (let i = 0; i < data.length; i++) crc = t[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}
