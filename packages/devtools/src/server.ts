import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendJson } from './api/json-http';
import { isLoopbackAddress, isLoopbackHost } from './api/loopback-host';
import { ManualSpans } from './api/manual-spans';
import { type ApiContext, handleApi, type IngestCounters } from './api/routes';
import {
  GRPC_INTERNAL,
  GRPC_INVALID_ARGUMENT,
  GRPC_RESOURCE_EXHAUSTED,
  GRPC_UNAVAILABLE,
  GRPC_UNIMPLEMENTED,
} from './otlp/encode-trace-response';
import { readRequestBody } from './otlp/read-request-body';
import {
  DEFAULT_MAX_BODY_BYTES,
  errorStatusIn,
  receiveTraces,
  responseContentTypeOf,
} from './otlp/receive-traces';
import { TraceStore, type TraceStoreOptions } from './store/trace-store';
import { createUiServer, uiDirectory } from './ui/ui-assets';

export interface DevServerOptions
  extends Pick<
    TraceStoreOptions,
    'maxTraces' | 'maxBytes' | 'idleMs' | 'tailSampling' | 'dataDir' | 'fsync' | 'maxLogBytes'
  > {
  /**
   * Default 127.0.0.1: the collector is for this machine only. Listening on a loopback address,
   * it answers 403 to a request whose `Host` is not a loopback name or address (`localhost`,
   * `127.0.0.1`, `[::1]`, any port), against DNS rebinding; `POST /v1/traces` is taken from any
   * Host. Listening on another address (`0.0.0.0`), it takes any Host.
   */
  host?: string;
  /** Default 4318, the OTLP/HTTP port; 0 picks a free one. */
  port?: number;
  /** The largest OTLP request body, before and after decompression. Default 20 MiB. */
  maxBodyBytes?: number;
  /** Where the built waterfall view is; default `ui/` beside this module. */
  uiDir?: string;
  /** Failures nobody waits for (a write of the log, a request that broke). Default: ignored. */
  onError?: (error: unknown) => void;
}

export interface DevServer {
  /** `http://host:port`, the base of the API, the OTLP endpoint's origin and the view. */
  readonly url: string;
  readonly port: number;
  readonly store: TraceStore;
  /** Stops accepting connections, ends idle ones, and closes the store (and its log). */
  close(): Promise<void>;
}

// The OTLP receiver answers browsers too (an app's front end exporting to the local collector).
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'content-type, content-encoding',
  'access-control-max-age': '86400',
};

/** The OTLP/HTTP paths, which any origin may post to. */
const OTLP_PATHS: ReadonlySet<string> = new Set(['/v1/traces', '/v1/metrics', '/v1/logs']);

/** A comma-separated list of header names (RFC 9110 tokens). */
const HEADER_NAMES = /^[!#$%&'*+.^_`|~\w-]+(?:\s*,\s*[!#$%&'*+.^_`|~\w-]+)*$/;

/**
 * A preflight's answer: the request headers the browser asks for are allowed (an exporter's
 * configured ones, `authorization` say, besides `content-type`); the collector reads none of them.
 */
function preflightHeaders(req: IncomingMessage): Record<string, string> {
  const asked = req.headers['access-control-request-headers'];
  // the answer depends on the request's header: caches keep it by that header
  return typeof asked === 'string' && HEADER_NAMES.test(asked.trim())
    ? {
        ...CORS,
        'access-control-allow-headers': asked.trim(),
        vary: 'Access-Control-Request-Headers',
      }
    : CORS;
}

/** Sends a receiver's answer, with the CORS headers browsers' exporters need. */
function answer(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: Uint8Array,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...CORS,
    ...headers,
    'content-type': contentType,
    'content-length': body.length,
  });
  res.end(body);
}

/**
 * Answers an OTLP request with an error: a google.rpc.Status in the request's encoding and media
 * type (JSON when it has none), as OTLP/HTTP requires of every 4xx and 5xx, and as receiveTraces
 * answers its own.
 */
function answerError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  grpcCode: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  const contentType = responseContentTypeOf(req.headers['content-type']);
  answer(res, status, contentType, errorStatusIn(contentType, grpcCode, message), headers);
}

async function receive(
  context: ApiContext,
  maxBodyBytes: number,
  onError: (error: unknown) => void,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  context.ingest.requests++;
  const read = await readRequestBody(req, maxBodyBytes);
  if (!read.ok) {
    context.ingest.requestsRejected++;
    const code = read.status === 413 ? GRPC_RESOURCE_EXHAUSTED : GRPC_INVALID_ARGUMENT;
    // The rest of an oversized upload is not read: close the connection after answering.
    answerError(req, res, read.status, code, read.error, { connection: 'close' });
    return;
  }
  context.ingest.bytesReceived += read.body.length;
  const result = receiveTraces(
    {
      contentType: req.headers['content-type'],
      contentEncoding: req.headers['content-encoding'],
      body: read.body,
    },
    { maxBodyBytes },
  );
  context.ingest.spansRejected += result.rejected;
  if (result.status === 200) {
    // Acknowledge only once the spans are stored (and, with a data dir, written to the log).
    try {
      await context.store.ingest(result.spans);
    } catch (error) {
      // The log could not take them (a full disk): the store has let go of them again. 503 is
      // retryable: the exporter sends the same spans again later.
      onError(error);
      context.ingest.requestsRejected++;
      const reason = (error as Error)?.message ?? String(error);
      answerError(req, res, 503, GRPC_UNAVAILABLE, `the spans could not be stored: ${reason}`);
      return;
    }
    context.ingest.spansAccepted += result.spans.length;
  } else {
    context.ingest.requestsRejected++;
  }
  answer(res, result.status, result.contentType, result.body);
}

/**
 * Starts the local collector: the OTLP/HTTP receiver on `POST /v1/traces`, the JSON API and the
 * waterfall view, in one process.
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const onError = options.onError ?? (() => {});
  const store = await TraceStore.open({ ...options, onError });
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const ingest: IngestCounters = {
    requests: 0,
    requestsRejected: 0,
    spansAccepted: 0,
    spansRejected: 0,
    bytesReceived: 0,
  };
  const context: ApiContext = {
    store,
    ingest,
    manual: new ManualSpans({
      ingest: (spans) => store.ingest(spans),
      hasTrace: (traceId) => store.get(traceId) !== undefined,
      hasSpan: (traceId, spanId) =>
        store.get(traceId)?.spans.some((span) => span.spanId === spanId) ?? false,
    }),
  };
  const serveUi = createUiServer(options.uiDir ?? uiDirectory());

  // Set once listening: whether the address is loopback, where the Host header is checked.
  let loopbackOnly = true;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      // an absolute-form target that is no URL (`GET http://[/`)
      return sendJson(res, 400, { error: `invalid request target ${JSON.stringify(req.url)}` });
    }
    // The OTLP receiver takes spans from any origin already (CORS), and tells nothing of what is
    // stored: an exporter may name this machine as it likes. Everything else reads the traces.
    const otlp = OTLP_PATHS.has(url.pathname);
    if (loopbackOnly && !otlp && !isLoopbackHost(req.headers.host)) {
      return sendJson(res, 403, {
        error:
          `Host ${JSON.stringify(req.headers.host)} is not a loopback name or address: ` +
          'this collector listens on loopback and answers requests for localhost, 127.0.0.1 ' +
          'or [::1] only (a guard against DNS rebinding); start it with --host 0.0.0.0 to share it',
      });
    }
    if (otlp) {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, preflightHeaders(req)).end();
        return;
      }
      if (url.pathname !== '/v1/traces') {
        // an SDK given this collector as OTEL_EXPORTER_OTLP_ENDPOINT sends metrics and logs here
        // too: told, in OTLP's error form, that this signal has no receiver
        const message = `${url.pathname}: this collector receives traces only (/v1/traces)`;
        return answerError(req, res, 404, GRPC_UNIMPLEMENTED, message);
      }
      if (req.method === 'POST') return receive(context, maxBodyBytes, onError, req, res);
      return answerError(req, res, 405, GRPC_UNIMPLEMENTED, `${req.method} /v1/traces: use POST`, {
        allow: 'POST, OPTIONS',
      });
    }
    if (await handleApi(context, req, res, url)) return;
    const asset = req.method === 'GET' || req.method === 'HEAD' ? serveUi(url.pathname) : undefined;
    if (asset !== undefined) {
      res.writeHead(asset.status, asset.headers);
      res.end(req.method === 'HEAD' ? undefined : asset.body);
      return;
    }
    sendJson(res, 404, { error: `no route for ${req.method} ${url.pathname}` });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      onError(error);
      if (res.headersSent) res.destroy();
      else if (req.url?.startsWith('/v1/traces')) {
        answerError(req, res, 500, GRPC_INTERNAL, 'internal error');
      } else sendJson(res, 500, { error: 'internal error' });
    });
  });
  server.keepAliveTimeout = 5000;
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 4318, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await store.close();
    throw error;
  }
  const { port, address } = server.address() as AddressInfo;
  loopbackOnly = isLoopbackAddress(address);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    store,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }).then(() => store.close())),
  };
}
