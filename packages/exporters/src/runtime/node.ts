import { AsyncResource } from 'node:async_hooks';
import { Buffer } from 'node:buffer';
import { gzip as zlibGzip } from 'node:zlib';
import { VERSION } from '../version';

/** gzip with node:zlib (off the main thread); undefined means "send as is". */
export function gzip(body: Uint8Array): Promise<Uint8Array | undefined> {
  return new Promise((resolve) => {
    zlibGzip(body, (error, result) => resolve(error ? undefined : result));
  });
}

/**
 * A copy of the first `length` bytes of `bytes`, for the caller to keep, in memory that is not
 * zeroed first (it is overwritten at once): `slice` zero-fills a new buffer, which was a fifth of
 * the JSON encoder's time on the bench batch (281 KB a call; Node 20 CPU profile). The result is
 * a plain Uint8Array over its own ArrayBuffer.
 */
export function copyBytes(bytes: Uint8Array, length: number): Uint8Array {
  const out = Buffer.allocUnsafeSlow(length);
  out.set(bytes.subarray(0, length));
  return new Uint8Array(out.buffer, out.byteOffset, length);
}

/**
 * The `User-Agent` of OTLP requests ("OTLP exporters SHOULD emit a User-Agent header to at a
 * minimum identify the exporter, the language of its implementation, and the version of the
 * exporter", protocol/exporter.md). Node only: in a browser the header would turn each export
 * into a CORS preflight (and some refuse to set it), and the edge build is also the browser build.
 */
export const USER_AGENT: string | undefined = `spanlite-otlp-exporter-javascript/${VERSION}`;

export { tlsFetch } from './node-tls-fetch';

/**
 * Runs what it is given in the async context this was called in (the exporter's making, at
 * start-up), not the one it is called from. An export asked for at the end of a request would
 * otherwise send from inside that request's context, where a framework tracks its work: Next.js,
 * while it prerenders a route (and, under `next dev`, while a request fills caches), counts a
 * `fetch` started there as a cache read the render waits for, so the render would wait for the
 * export, up to its timeout against a backend that hangs.
 * Cloudflare's workerd binds a request's IO to it: there (Next.js through OpenNext, which bundles
 * this build) sends run where they are asked for. Some of its versions refuse to enter an async
 * context made in another request, others let the `fetch` inside fail; elsewhere, a runtime that
 * refuses once gets the same.
 */
export function detachedScope(): <T>(run: () => T) => T {
  const scope = new AsyncResource('@spanlite/exporters');
  let usable = !inWorkerd();
  return <T>(run: () => T): T => {
    if (usable) {
      let entered = false;
      try {
        return scope.runInAsyncScope(() => {
          entered = true;
          return run();
        });
      } catch (error) {
        if (entered) throw error;
        usable = false;
      }
    }
    return run();
  };
}

function inWorkerd(): boolean {
  return (
    (globalThis as { navigator?: { userAgent?: unknown } }).navigator?.userAgent ===
    'Cloudflare-Workers'
  );
}
