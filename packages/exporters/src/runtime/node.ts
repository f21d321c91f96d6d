import { gzip as zlibGzip } from 'node:zlib';

/** gzip with node:zlib (off the main thread); undefined means "send as is". */
export function gzip(body: Uint8Array): Promise<Uint8Array | undefined> {
  return new Promise((resolve) => {
    zlibGzip(body, (error, result) => resolve(error ? undefined : result));
  });
}
