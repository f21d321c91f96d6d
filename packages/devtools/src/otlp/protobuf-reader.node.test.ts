/**
 * The memory short decoded strings take: the store counts about 46 bytes for a string of 30
 * characters and bounds itself by that count, so a string must be one flat string, not a chain of
 * one-character fragments (560 bytes each, measured), which let the process grow to 2 GB under a
 * 128 MiB --max-bytes.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { decodeUtf8 } from './protobuf-reader';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

it('decodes a short ASCII string as one flat string, whose heap is about its length', () => {
  const count = 100_000;
  const bytes = new TextEncoder().encode(
    Array.from({ length: count }, (_, i) => `attribute.value.${String(i).padStart(12, '0')}`).join(
      '',
    ),
  );
  const width = bytes.length / count; // 30 characters each
  const kept: string[] = new Array(count);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < count; i++) kept[i] = decodeUtf8(bytes, i * width, (i + 1) * width);
  gc();
  const perString = (process.memoryUsage().heapUsed - before) / count;
  expect(kept[7]).toBe('attribute.value.000000000007');
  // a flat one-byte string of 30 characters is about 48 bytes; fragments were about 560
  expect(perString).toBeLessThan(150);
});
