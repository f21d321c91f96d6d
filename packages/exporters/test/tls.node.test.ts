/**
 * exporter.md, Configuration Options: "Certificate File", "Client key file", "Client certificate
 * file" (`OTEL_EXPORTER_OTLP_[TRACES_]CERTIFICATE`, `_CLIENT_KEY`, `_CLIENT_CERTIFICATE`), applied
 * by the node build to an HTTPS collector on loopback whose certificate a test CA signed
 * (fixtures/tls: see its README).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@spanlite/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OtlpTraceExporter, type OtlpTraceExporterOptions } from '../src/otlp/otlp-trace-exporter';
import { named } from '../src/runtime/node-tls-fetch';
import { canonicalBody } from './fixtures/decode-otlp';
import { finishedSpan } from './fixtures/finished-spans';
import { type Collector, closedPortUrl, startCollector } from './fixtures/loopback-collector';
import { expectedRequest } from './fixtures/otlp-canonical';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/tls/${name}`, import.meta.url));
const CA = fixture('ca.pem');
const CLIENT_KEY = fixture('client.key');
const CLIENT_CERT = fixture('client.pem');
const SERVER = {
  key: readFileSync(fixture('server.key')),
  cert: readFileSync(fixture('server.pem')),
};
/** A collector that asks for a client certificate and accepts only one the test CA signed. */
const MUTUAL = { ...SERVER, ca: readFileSync(CA), requestCert: true, rejectUnauthorized: true };

const SPAN = finishedSpan();

let collector: Collector | undefined;
let warnings: string[];

beforeEach(() => {
  warnings = [];
  const log = (message: string) => warnings.push(message);
  diag.setLogger({ error: log, warn: log, info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
});

afterEach(async () => {
  diag.disable();
  await collector?.close();
  collector = undefined;
});

async function exportOne(options: OtlpTraceExporterOptions): Promise<ExportResult> {
  const exporter = new OtlpTraceExporter({
    retry: { maxAttempts: 1 },
    timeoutMillis: 5_000,
    ...options,
  });
  const result = await new Promise<ExportResult>((resolve) => exporter.export([SPAN], resolve));
  await exporter.shutdown();
  return result;
}

describe('Certificate File: the CA trusted to verify the collector', () => {
  it('without it, a collector with a private CA is refused; with it, the spans arrive as sent', async () => {
    collector = await startCollector(undefined, SERVER);
    const refused = await exportOne({ env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.url } });
    expect(refused.code).toBe(ExportResultCode.FAILED);
    expect(collector.received).toHaveLength(0);
    expect(warnings.join('\n')).toMatch(/unable to verify the first certificate/);
    warnings = [];

    const env = {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_CERTIFICATE: CA,
    };
    expect(await exportOne({ env })).toEqual({ code: ExportResultCode.SUCCESS });
    const [request] = collector.received;
    expect(request!.headers['content-type']).toBe('application/x-protobuf');
    expect(request!.headers['user-agent']).toMatch(/^spanlite-otlp-exporter-javascript\//);
    expect(canonicalBody(request!.body, 'http/protobuf')).toEqual(expectedRequest([SPAN]));
    expect(warnings).toEqual([]);
  });

  it('gzip, JSON, a retried 503 and a partial-success answer go through it as through fetch', async () => {
    collector = await startCollector((_req, res, _body, attempt) => {
      if (attempt === 1) res.writeHead(503, { 'retry-after': '0' }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    }, SERVER);
    const result = await exportOne({
      url: collector.url,
      certificateFile: CA,
      compression: 'gzip',
      protocol: 'http/json',
      retry: { maxAttempts: 2 },
      env: {},
    });
    expect(result).toEqual({ code: ExportResultCode.SUCCESS });
    expect(collector.received).toHaveLength(2);
    expect(collector.received[1]!.headers['content-encoding']).toBe('gzip');
    expect(canonicalBody(collector.received[1]!.body, 'http/json')).toEqual(
      expectedRequest([SPAN]),
    );
  });

  it('a redirect is not followed, and a collector that never answers fails the export at its timeout', async () => {
    collector = await startCollector((_req, res) => {
      res.writeHead(307, { location: '/elsewhere' }).end();
    }, SERVER);
    const options = { url: collector.url, certificateFile: CA, env: {} };
    expect((await exportOne(options)).code).toBe(ExportResultCode.FAILED);
    expect(collector.received).toHaveLength(1);
    expect(warnings.join('\n')).toMatch(/answered HTTP 307.*redirects are not followed/);

    collector.handle(() => undefined); // never answers
    const started = Date.now();
    const timedOut = await exportOne({ ...options, timeoutMillis: 300 });
    expect(timedOut.code).toBe(ExportResultCode.FAILED);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(warnings.join('\n')).toMatch(/did not complete within 300 ms/);
  });

  it("a status Node's fetch gives as it is but a Response cannot hold (600–999) fails the export at once, as through fetch", async () => {
    collector = await startCollector((_req, res) => {
      res.writeHead(600).end('odd');
    }, SERVER);
    const result = await exportOne({
      url: collector.url,
      certificateFile: CA,
      retry: { maxAttempts: 3 },
      env: {},
    });
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(collector.received).toHaveLength(1);
    expect(warnings.join('\n')).toMatch(/answered HTTP 600/);
  });

  it('a 101 without an upgrade fails the export as a network error, as through fetch, and throws nowhere', async () => {
    collector = await startCollector((_req, res) => {
      res.writeHead(101).end();
    }, SERVER);
    const result = await exportOne({ url: collector.url, certificateFile: CA, env: {} });
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(warnings.join('\n')).toMatch(/gave up after 1 attempts \(network error: /);
  });
});

describe("the TLS client's connections", () => {
  it('are kept alive between exports and let go at shutdown', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const server = createServer(SERVER, (req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    server.on('secureConnection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as import('node:net').AddressInfo;
      const exporter = new OtlpTraceExporter({
        url: `https://127.0.0.1:${port}/v1/traces`,
        certificateFile: CA,
        env: {},
      });
      for (let i = 0; i < 2; i++) {
        const result = await new Promise<ExportResult>((resolve) =>
          exporter.export([SPAN], resolve),
        );
        expect(result).toEqual({ code: ExportResultCode.SUCCESS });
      }
      expect(sockets.size).toBe(1); // one connection, kept alive for the second export
      await exporter.shutdown();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(sockets.size).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('Client key file and Client certificate file: mutual TLS', () => {
  it('a collector that requires a client certificate gets the one configured', async () => {
    let peer = '';
    collector = await startCollector((req, res) => {
      peer = String((req.socket as TLSSocket).getPeerCertificate().subject.CN);
      res.writeHead(200).end();
    }, MUTUAL);
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url.replace('/v1/traces', ''),
      OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE: CA,
      OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY: CLIENT_KEY,
      OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE: CLIENT_CERT,
    };
    expect(await exportOne({ env })).toEqual({ code: ExportResultCode.SUCCESS });
    expect(peer).toBe('spanlite test client');

    const withoutClient = {
      OTEL_EXPORTER_OTLP_ENDPOINT: env.OTEL_EXPORTER_OTLP_ENDPOINT,
      OTEL_EXPORTER_OTLP_CERTIFICATE: CA,
    };
    expect((await exportOne({ env: withoutClient })).code).toBe(ExportResultCode.FAILED);
    expect(collector.received).toHaveLength(1);
  });

  it('the options win over the variables, file by file', async () => {
    collector = await startCollector(undefined, MUTUAL);
    const result = await exportOne({
      url: collector.url,
      clientKeyFile: CLIENT_KEY,
      env: {
        OTEL_EXPORTER_OTLP_CERTIFICATE: CA,
        OTEL_EXPORTER_OTLP_CLIENT_KEY: fixture('missing.key'),
        OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: CLIENT_CERT,
      },
    });
    expect(result).toEqual({ code: ExportResultCode.SUCCESS });
    expect(warnings).toEqual([]);
  });
});

describe('files that cannot be applied: a warning, never a throw', () => {
  it('an unreadable file is named in a warning and left out; the export goes on and fails as it would without it', async () => {
    collector = await startCollector(undefined, SERVER);
    const missing = fixture('missing.pem');
    const exporter = new OtlpTraceExporter({
      env: { OTEL_EXPORTER_OTLP_CERTIFICATE: missing },
      url: collector.url,
      retry: { maxAttempts: 1 },
    });
    expect(warnings).toEqual([
      `@spanlite/exporters: cannot read OTEL_EXPORTER_OTLP_CERTIFICATE (${missing}): ENOENT; ignored`,
    ]);
    const result = await new Promise<ExportResult>((resolve) => exporter.export([SPAN], resolve));
    expect(result.code).toBe(ExportResultCode.FAILED);
    await exporter.shutdown();
  });

  it('an http: endpoint: ignored, with a warning, and the spans are sent as before', async () => {
    collector = await startCollector();
    const result = await exportOne({ url: collector.url, certificateFile: CA, env: {} });
    expect(result).toEqual({ code: ExportResultCode.SUCCESS });
    expect(warnings).toEqual([
      '@spanlite/exporters: the certificateFile option ignored: the endpoint is not https:',
    ]);
  });

  it('a fetch given as an option: not applied to it, with a warning', async () => {
    const calls: string[] = [];
    const fetch = (async (url: string) => {
      calls.push(url);
      return new Response(null, { status: 200 });
    }) as typeof globalThis.fetch;
    const url = (await closedPortUrl()).replace('http:', 'https:');
    const result = await exportOne({
      url,
      fetch,
      env: {
        OTEL_EXPORTER_OTLP_CERTIFICATE: CA,
        OTEL_EXPORTER_OTLP_CLIENT_KEY: CLIENT_KEY,
        OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: CLIENT_CERT,
      },
    });
    expect(result).toEqual({ code: ExportResultCode.SUCCESS });
    expect(calls).toEqual([url]);
    expect(warnings).toEqual([
      '@spanlite/exporters: OTEL_EXPORTER_OTLP_CERTIFICATE, OTEL_EXPORTER_OTLP_CLIENT_KEY, OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE not applied to the fetch option',
    ]);
  });
});

describe('the built-in modules, as a bundler may hand them over', () => {
  it("finds a named export on the module or, as webpack gives a function's exports, its default", () => {
    const Readable = class {};
    const asWebpackGivesIt = { default: Object.assign(function Stream() {}, { Readable }) };
    expect(named(asWebpackGivesIt as unknown as { Readable: typeof Readable }, 'Readable')).toBe(
      Readable,
    );
    expect(named({ Readable }, 'Readable')).toBe(Readable);
  });
});
