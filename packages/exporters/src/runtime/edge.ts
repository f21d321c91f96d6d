import { gzipWithCompressionStream } from '../otlp/compression-stream-gzip';

/** gzip where the runtime offers a working `CompressionStream`; undefined means "send as is". */
export function gzip(body: Uint8Array): Promise<Uint8Array | undefined> {
  return gzipWithCompressionStream(body);
}
