// Where the TLS files of exporter.md's Configuration Options are applied: only by a runtime with a
// TLS client to give them to (the node build's https), only to an https: endpoint, never to a
// `fetch` given as an option. Elsewhere a warning says they are ignored.
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { tlsFetch } from '../runtime/edge';
import { fetchWithTls } from './fetch-with-tls';
import type { TlsFiles } from './tls-files';

const FILES: TlsFiles = {
  certificate: { path: '/ca.pem', source: 'OTEL_EXPORTER_OTLP_CERTIFICATE' },
};
const custom = (async () => new Response(null)) as typeof fetch;
let warnings: string[];

beforeEach(() => {
  warnings = [];
  const log = (message: string) => warnings.push(message);
  diag.setLogger({ error: log, warn: log, info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
});
afterEach(() => diag.disable());

it('with no files, the fetch option (or none) is used, and nothing is said', () => {
  expect(fetchWithTls(undefined, 'https://collector/v1/traces', custom)).toBe(custom);
  expect(fetchWithTls(undefined, 'https://collector/v1/traces', undefined)).toBeUndefined();
  expect(warnings).toEqual([]);
});

it('a fetch given as an option is used as it is, and the files are said not to apply to it', () => {
  expect(fetchWithTls(FILES, 'https://collector/v1/traces', custom)).toBe(custom);
  expect(warnings).toEqual([
    '@spanlite/exporters: OTEL_EXPORTER_OTLP_CERTIFICATE not applied to the fetch option',
  ]);
});

it('an http: endpoint is sent to with fetch, and the files are said to be ignored', () => {
  expect(fetchWithTls(FILES, 'http://collector/v1/traces', undefined)).toBeUndefined();
  expect(warnings).toEqual([
    '@spanlite/exporters: OTEL_EXPORTER_OTLP_CERTIFICATE ignored: the endpoint is not https:',
  ]);
});

it.runIf(tlsFetch === undefined)(
  'edge runtimes, Workers and browsers: fetch takes no certificates, so they are ignored with a warning',
  () => {
    expect(fetchWithTls(FILES, 'HTTPS://collector/v1/traces', undefined)).toBeUndefined();
    expect(warnings).toEqual([
      '@spanlite/exporters: OTEL_EXPORTER_OTLP_CERTIFICATE not supported in this runtime (fetch takes no certificates), ignored',
    ]);
  },
);

it.runIf(tlsFetch !== undefined)(
  'Node: an https: endpoint gets the build’s own TLS client (test/tls.node.test.ts sends with it)',
  () => {
    const files: TlsFiles = {
      certificate: {
        // decoded: a checkout path with a space in it
        path: decodeURIComponent(
          new URL('../../test/fixtures/tls/ca.pem', import.meta.url).pathname,
        ),
        source: 'OTEL_EXPORTER_OTLP_CERTIFICATE',
      },
    };
    expect(fetchWithTls(files, 'HTTPS://collector/v1/traces', undefined)).toBeTypeOf('function');
    expect(warnings).toEqual([]);
  },
);
