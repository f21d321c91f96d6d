import { isBrowser } from '../otlp/browser-globals';
import { gzipWithCompressionStream } from '../otlp/compression-stream-gzip';
import type { TlsFetch, TlsFiles } from '../otlp/tls-files';
import { VERSION } from '../version';

/** gzip where the runtime offers a working `CompressionStream`; undefined means "send as is". */
export function gzip(body: Uint8Array): Promise<Uint8Array | undefined> {
  return gzipWithCompressionStream(body);
}

/** A copy of the first `length` bytes of `bytes`, for the caller to keep. */
export function copyBytes(bytes: Uint8Array, length: number): Uint8Array {
  return bytes.slice(0, length);
}

/**
 * The `User-Agent` of OTLP requests (the node build's, which see): from edge functions, Workers
 * and Deno too, but not from a browser, which also loads this build: there the header would turn
 * each export into a CORS preflight (and some refuse to set it).
 */
export const USER_AGENT: string | undefined = isBrowser(globalThis)
  ? undefined
  : `spanlite-otlp-exporter-javascript/${VERSION}`;

/**
 * Runs what it is given as it is: the node build runs it outside the async context it is called
 * from (see there); an edge runtime, where nothing is prerendered, needs nothing of the kind.
 */
export function detachedScope(): <T>(run: () => T) => T {
  return (run) => run();
}

/** No TLS client here to give certificate files to: `fetch` takes none. */
export const tlsFetch: ((files: TlsFiles) => TlsFetch | undefined) | undefined = undefined;
