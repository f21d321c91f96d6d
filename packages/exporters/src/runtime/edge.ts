import { gzipWithCompressionStream } from '../otlp/compression-stream-gzip';

/** gzip where the runtime offers a working `CompressionStream`; undefined means "send as is". */
export function gzip(body: Uint8Array): Promise<Uint8Array | undefined> {
  return gzipWithCompressionStream(body);
}

/** A copy of the first `length` bytes of `bytes`, for the caller to keep. */
export function copyBytes(bytes: Uint8Array, length: number): Uint8Array {
  return bytes.slice(0, length);
}

/** The `User-Agent` of OTLP requests: none from the edge build, which browsers also load. */
export const USER_AGENT: string | undefined = undefined;
