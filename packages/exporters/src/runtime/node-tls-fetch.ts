import { readFileSync } from 'node:fs';
import type { Agent } from 'node:https';
import { diag } from '@opentelemetry/api';
import type { TlsFetch, TlsFile, TlsFiles } from '../otlp/tls-files';

/**
 * A `fetch` for the exporter's POSTs over node:https, with the CA, client key and client
 * certificate read from `files` once, now (Node's `fetch` takes no certificates). A file that
 * cannot be read is reported and left out; with none left, undefined (send with `fetch`).
 * `node:https` is loaded with the first request, not with the package: a cold start without TLS
 * files does not pay for it.
 *
 * It does what the transport asks of `fetch`: method, headers and a byte body; the `signal`
 * aborts the request, or the response body once it has begun; redirects are never followed; a
 * response resolves on its headers, its body streamed.
 */
export function tlsFetch(files: TlsFiles): TlsFetch | undefined {
  const ca = readTlsFile(files.certificate);
  const key = readTlsFile(files.clientKey);
  const cert = readTlsFile(files.clientCertificate);
  if (ca === undefined && key === undefined && cert === undefined) return undefined;
  let client: Promise<HttpsClient> | undefined;
  const send = (url: string, init: RequestInit) => {
    client ??= Promise.all([import('node:https'), import('node:stream')]).then(
      ([https, stream]) => ({
        // Kept-alive sockets are unref'd while idle: they do not hold the process open.
        agent: new (named(https, 'Agent'))({ keepAlive: true, ca, key, cert }),
        request: named(https, 'request'),
        Readable: named(stream, 'Readable'),
      }),
    );
    return client.then((ready) => post(url, init, ready));
  };
  return Object.assign(send as typeof fetch, {
    close: () => void client?.then((ready) => ready.agent.destroy()),
  });
}

/** What the requests need of `node:https` and `node:stream`, loaded once, with the first. */
interface HttpsClient {
  readonly agent: Agent;
  readonly request: typeof import('node:https').request;
  readonly Readable: typeof import('node:stream').Readable;
}

function readTlsFile(file: TlsFile | undefined): Buffer | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file.path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    diag.warn(
      `@spanlite/exporters: cannot read ${file.source} (${file.path}): ${typeof code === 'string' ? code : String(error)}; ignored`,
    );
    return undefined;
  }
}

/**
 * A named export of a built-in module loaded with `import()`. Bundled for Next.js 15, webpack
 * gives a module whose CommonJS exports are a function (`stream`) only its `default`.
 */
export function named<M extends object, K extends keyof M>(module: M, name: K): M[K] {
  return module[name] ?? (module as { default: M }).default[name];
}

function post(
  url: string,
  init: RequestInit,
  { agent, request, Readable }: HttpsClient,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const body = init.body as Uint8Array;
    const headers: Record<string, string> = {};
    for (const [name, value] of new Headers(init.headers)) headers[name] = value;
    headers['content-length'] = String(body.byteLength);
    const options = {
      method: init.method ?? 'POST',
      headers,
      agent,
      signal: init.signal ?? undefined,
    };
    const sent = request(url, options, (res) => {
      const status = res.statusCode ?? 0;
      const empty = status === 204 || status === 205 || status === 304;
      if (empty) res.resume();
      const responseHeaders = new Headers();
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
        try {
          responseHeaders.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
        } catch {
          // a header a Response cannot hold: left out (the exporter reads three at most)
        }
      }
      let responseBody: ReadableStream<Uint8Array> | null = null;
      try {
        if (!empty) responseBody = Readable.toWeb(res) as ReadableStream<Uint8Array>;
      } catch {
        res.resume(); // the answer stands without its body: a delivery is not sent again for it
      }
      try {
        // A status a Response cannot hold (600–999, which Node's fetch answers with as it is) is
        // given to one made with 599 and then put back, so that both clients fail the export
        // alike. Below 200 (a 101 without an upgrade): as a network error, as Node's fetch has it.
        const odd = status > 599;
        const response = new Response(responseBody, {
          status: odd ? 599 : status,
          statusText: res.statusMessage,
          headers: responseHeaders,
        });
        if (odd) Object.defineProperty(response, 'status', { value: status });
        resolve(response);
      } catch (error) {
        res.destroy();
        reject(error);
      }
    });
    sent.on('error', reject);
    sent.end(body);
  });
}
