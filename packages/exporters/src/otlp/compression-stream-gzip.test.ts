import { afterEach, describe, expect, it } from 'vitest';
import { gzipWithCompressionStream } from './compression-stream-gzip';

const original = (globalThis as any).CompressionStream;

async function gunzip(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

describe('gzipWithCompressionStream', () => {
  afterEach(() => {
    (globalThis as any).CompressionStream = original;
  });

  // @edge-runtime/vm has no CompressionStream (Node has one): there this case is skipped.
  it.runIf(typeof original === 'function')('gzips where CompressionStream works', async () => {
    const text = 'span '.repeat(1000);
    const zipped = await gzipWithCompressionStream(new TextEncoder().encode(text));
    expect(zipped).toBeDefined();
    expect(zipped!.length).toBeLessThan(200);
    expect(await gunzip(zipped!)).toBe(text);
  });

  it('gives up where constructing one throws (the Next.js edge sandbox)', async () => {
    (globalThis as any).CompressionStream = class {
      constructor() {
        throw new Error('CompressionStream is not supported in the edge sandbox');
      }
    };
    expect(await gzipWithCompressionStream(new Uint8Array([1, 2, 3]))).toBeUndefined();
  });

  it('gives up where it is absent', async () => {
    (globalThis as any).CompressionStream = undefined;
    expect(await gzipWithCompressionStream(new Uint8Array([1]))).toBeUndefined();
  });
});
