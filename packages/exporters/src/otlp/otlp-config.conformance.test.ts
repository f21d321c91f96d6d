// Conformance of the OTLP exporter's configuration with the OpenTelemetry specification. Each
// case names the clause it checks:
// - exporter.md: specification/protocol/exporter.md (Configuration Options, Endpoint URLs for
//   OTLP/HTTP, Specify Protocol, Specifying headers via environment variables)
// - env.md: specification/configuration/sdk-environment-variables.md (Parsing empty value,
//   Numeric, Timeout, Enum)
// - W3C Baggage: https://www.w3.org/TR/baggage/ (value), the format of the headers variables
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { decodeBaggageValue } from '@spanlite/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type EnvLike, parseHeaders, resolveOtlpConfig } from './otlp-config';

function captureWarnings() {
  const warn = vi.fn();
  diag.setLogger(
    { warn, error: vi.fn(), info: vi.fn(), debug: vi.fn(), verbose: vi.fn() },
    DiagLogLevel.WARN,
  );
  return warn;
}

const config = (env: EnvLike) => resolveOtlpConfig({ env });

afterEach(() => diag.disable());

describe('exporter.md "Specifying headers via environment variables"', () => {
  it('reads key1=value1,key2=value2 with percent-encoded values, all as strings', () => {
    expect(
      config({ OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Basic%20dXNlcjpwYXNz,x-count=1' })
        .headers,
    ).toEqual({ Authorization: 'Basic dXNlcjpwYXNz', 'x-count': '1' });
  });

  it('allows optional whitespace around keys, values and separators (W3C baggage OWS)', () => {
    expect(parseHeaders(' a = 1 ,\tb=2 , ', 'H')).toEqual({ a: '1', b: '2' });
  });

  it('keeps "=" inside a value (base64 padding)', () => {
    expect(parseHeaders('token=abc==', 'H')).toEqual({ token: 'abc==' });
  });

  it('skips, with a warning, entries whose key is not an HTTP token', () => {
    const warn = captureWarnings();
    expect(parseHeaders('bad key=1,ok=2,(x)=3', 'H')).toEqual({ ok: '2' });
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('skips, with a warning, values that decode to what no HTTP header can carry', () => {
    const warn = captureWarnings();
    // A CR LF would split the header; U+20AC is not Latin-1: fetch throws on both, every export.
    expect(parseHeaders('inject=a%0D%0Ab,euro=%E2%82%AC,ok=%C3%A9', 'H')).toEqual({ ok: 'é' });
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('the signal-specific variable overrides the generic one as a whole (exporter.md: "Each configuration option MUST be overridable by a signal specific option")', () => {
    // the generic endpoint's key does not go to a traces endpoint set for another backend
    const headers = config({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://vendor-a.example',
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=vendor-a,x-generic=1',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://vendor-b.example/v1/traces',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-api-key=vendor-b',
    }).headers;
    expect(headers).toEqual({ 'x-api-key': 'vendor-b' });
  });

  it("a blank signal-specific value leaves the generic one; a malformed one is reported and sends no header, not the generic endpoint's", () => {
    const generic = { OTEL_EXPORTER_OTLP_HEADERS: 'authorization=generic' };
    for (const blank of ['', '  ']) {
      expect(config({ ...generic, OTEL_EXPORTER_OTLP_TRACES_HEADERS: blank }).headers).toEqual({
        authorization: 'generic',
      });
    }
    const warn = captureWarnings();
    expect(
      config({ ...generic, OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-api-key:b' }).headers,
    ).toEqual({});
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('code wins over the environment, whatever the case of the header name', () => {
    const headers = resolveOtlpConfig({
      env: { OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'X-Api-Key=env' },
      headers: { 'x-api-key': 'code' },
    }).headers;
    expect(new Headers(headers).get('x-api-key')).toBe('code');
  });
});

describe('env.md "Timeout" (OTEL_EXPORTER_OTLP_[TRACES_]TIMEOUT, exporter.md Timeout)', () => {
  it('reads whole milliseconds, signal-specific over generic, default 10 s', () => {
    expect(config({}).timeoutMillis).toBe(10_000);
    expect(config({ OTEL_EXPORTER_OTLP_TIMEOUT: '2500' }).timeoutMillis).toBe(2500);
    expect(
      config({ OTEL_EXPORTER_OTLP_TIMEOUT: '2500', OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '700' })
        .timeoutMillis,
    ).toBe(700);
  });

  it('SHOULD interpret 0 as indefinite (a very long time), not as invalid', () => {
    const warn = captureWarnings();
    expect(config({ OTEL_EXPORTER_OTLP_TIMEOUT: '0' }).timeoutMillis).toBe(2 ** 31 - 1);
    expect(resolveOtlpConfig({ env: {}, timeoutMillis: 0 }).timeoutMillis).toBe(2 ** 31 - 1);
    expect(warn).not.toHaveBeenCalled();
  });

  it('MUST be an integer: other values warn and are treated as not set', () => {
    const warn = captureWarnings();
    for (const value of ['1.5', '1e3', '0x10', '-5', '10s']) {
      expect(
        config({ OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: value, OTEL_EXPORTER_OTLP_TIMEOUT: '1234' })
          .timeoutMillis,
      ).toBe(1234);
    }
    expect(warn).toHaveBeenCalledTimes(5);
  });

  it('caps a timeout beyond what timers accept, instead of letting the timer fire at once', () => {
    expect(config({ OTEL_EXPORTER_OTLP_TIMEOUT: '99999999999' }).timeoutMillis).toBe(2 ** 31 - 1);
  });
});

describe('exporter.md Compression and env.md "Enum"', () => {
  it('accepts gzip and none, case-insensitively; default none', () => {
    expect(config({}).compression).toBe('none');
    expect(config({ OTEL_EXPORTER_OTLP_COMPRESSION: 'GZIP' }).compression).toBe('gzip');
    expect(
      config({
        OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
        OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'none',
      }).compression,
    ).toBe('none');
  });

  it('an unrecognised signal-specific value is ignored as if unset: the generic one applies', () => {
    const warn = captureWarnings();
    expect(
      config({
        OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'brotli',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      }).compression,
    ).toBe('gzip');
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe('exporter.md "Specify Protocol"', () => {
  it('defaults to http/protobuf and reads http/json, signal-specific first', () => {
    expect(config({}).protocol).toBe('http/protobuf');
    expect(config({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).protocol).toBe('http/json');
    expect(
      config({
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
      }).protocol,
    ).toBe('http/protobuf');
  });

  it('grpc, in any case, is reported as unsupported and http/protobuf is sent', () => {
    const warn = captureWarnings();
    for (const value of ['grpc', 'GRPC', 'gRPC']) {
      warn.mockClear();
      expect(config({ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: value }).protocol).toBe('http/protobuf');
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/gRPC is not supported/);
    }
  });

  it('an unrecognised signal-specific value is ignored as if unset: the generic one applies', () => {
    const warn = captureWarnings();
    expect(
      config({
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/xml',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      }).protocol,
    ).toBe('http/json');
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe('exporter.md "Endpoint URLs for OTLP/HTTP"', () => {
  it('Example 1: the generic endpoint is a base URL, traces go to v1/traces under it', () => {
    expect(config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).url).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).url).toBe(
      'http://collector:4318/v1/traces',
    );
  });

  it('Example 3: a base path is kept, with one slash before v1/traces', () => {
    expect(config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/mycollector/' }).url).toBe(
      'http://collector:4318/mycollector/v1/traces',
    );
    expect(config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/mycollector' }).url).toBe(
      'http://collector:4318/mycollector/v1/traces',
    );
  });

  it('v1/traces is appended to the path, not to a query the base URL carries', () => {
    expect(
      config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://ingest.example/otlp?tenant=a' }).url,
    ).toBe('https://ingest.example/otlp/v1/traces?tenant=a');
  });

  it('the per-signal endpoint is used as-is, and wins over the generic one', () => {
    expect(
      config({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://generic:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector.example.com/custom/v1/traces/',
      }).url,
    ).toBe('https://collector.example.com/custom/v1/traces/');
  });

  it('Example 2: a per-signal endpoint without a path is not given v1/traces', () => {
    const url = config({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318' }).url;
    expect(new URL(url).pathname).toBe('/');
  });

  it('default: http://localhost:4318/v1/traces; an empty variable is unset (env.md)', () => {
    expect(config({}).url).toBe('http://localhost:4318/v1/traces');
    expect(
      config({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '', OTEL_EXPORTER_OTLP_ENDPOINT: '' }).url,
    ).toBe('http://localhost:4318/v1/traces');
  });

  it('code configuration wins over both variables', () => {
    expect(
      resolveOtlpConfig({
        url: 'http://code:1/x',
        env: {
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://signal/t',
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://generic',
        },
      }).url,
    ).toBe('http://code:1/x');
  });
});

describe('exporter.md "Endpoint URLs": MUST honor scheme, host, port, path; MAY ignore all other URL components', () => {
  const warned = (warn: ReturnType<typeof vi.fn>) => warn.mock.calls.map((call) => String(call[0]));

  it('drops a user name and password from OTEL_EXPORTER_OTLP_ENDPOINT, so that fetch can send', () => {
    const warn = captureWarnings();
    const url = config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://user:secret@collector:4318' }).url;
    expect(url).toBe('http://collector:4318/v1/traces');
    // fetch refuses to build a request for a URL with credentials, on every export.
    expect(() => new Request(url, { method: 'POST' })).not.toThrow();
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('drops them from the signal-specific endpoint and the url option too, path and query kept', () => {
    captureWarnings();
    expect(
      config({
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://token@ingest.example/otlp/v1/traces?a=1',
      }).url,
    ).toBe('https://ingest.example/otlp/v1/traces?a=1');
    expect(resolveOtlpConfig({ env: {}, url: 'http://u:p@localhost:1/x' }).url).toBe(
      'http://localhost:1/x',
    );
  });

  it('warns once, without the user name or password, pointing to an Authorization header', () => {
    const warn = captureWarnings();
    config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://alice:s3cr%3Et@collector:4318' });
    expect(warn).toHaveBeenCalledTimes(1);
    const [message] = warned(warn);
    expect(message).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(message).toMatch(/Authorization header in OTEL_EXPORTER_OTLP_HEADERS/);
    expect(message).not.toMatch(/alice|s3cr/);
  });

  it('no message shows the credentials of a URL that is rejected either', () => {
    const warn = captureWarnings();
    for (const url of [
      'ftp://alice:s3cret@host/x',
      'alice:s3cret@host:4318',
      'http://alice:s3cret@',
    ]) {
      expect(resolveOtlpConfig({ env: {}, url }).url).toBe('http://localhost:4318/v1/traces');
    }
    config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'alice:s3cret@host:4318' });
    expect(warn).toHaveBeenCalledTimes(4);
    for (const message of warned(warn)) expect(message).not.toMatch(/alice|s3cret/);
  });

  it('a URL without credentials is kept as written, without a warning', () => {
    const warn = captureWarnings();
    expect(config({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://@collector:4318/t' }).url).toBe(
      'http://@collector:4318/t',
    );
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('exporter.md Configuration Options: Certificate File, Client Key File, Client Certificate File', () => {
  it('each file comes from its option, else the signal-specific variable, else the generic one', () => {
    const tls = resolveOtlpConfig({
      certificateFile: '/code/ca.pem',
      env: {
        OTEL_EXPORTER_OTLP_CERTIFICATE: '/generic/ca.pem',
        OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY: '/traces/key.pem',
        OTEL_EXPORTER_OTLP_CLIENT_KEY: '/generic/key.pem',
        OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: '/generic/cert.pem',
      },
    }).tls;
    expect(tls).toEqual({
      certificate: { path: '/code/ca.pem', source: 'the certificateFile option' },
      clientKey: { path: '/traces/key.pem', source: 'OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY' },
      clientCertificate: {
        path: '/generic/cert.pem',
        source: 'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE',
      },
    });
  });

  it('unset or empty, there are none, and nothing is said', () => {
    const warn = captureWarnings();
    expect(config({ OTEL_EXPORTER_OTLP_CERTIFICATE: ' ' }).tls).toBeUndefined();
    expect(config({ OTEL_EXPORTER_OTLP_INSECURE: 'true' }).tls).toBeUndefined(); // gRPC only
    expect(resolveOtlpConfig({ env: {}, clientKeyFile: '' }).tls).toBeUndefined();
    expect(warn).not.toHaveBeenCalled();
  });

  it('a client key without a client certificate (or the reverse) is kept, with a warning that mutual TLS needs both', () => {
    const warn = captureWarnings();
    expect(config({ OTEL_EXPORTER_OTLP_CLIENT_KEY: '/k.pem' }).tls?.clientKey?.path).toBe('/k.pem');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(
      /OTEL_EXPORTER_OTLP_CLIENT_KEY set without a client certificate/,
    );
    config({ OTEL_EXPORTER_OTLP_CERTIFICATE: '/ca.pem' });
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe('W3C Baggage value: "percent-encoded octet sequences that do not match the UTF-8 encoding scheme MUST be replaced with the replacement code point"', () => {
  it('keeps a % that starts no escape as it is, instead of dropping the header', () => {
    const warn = captureWarnings();
    expect(config({ OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=ab%zz,ok=1' }).headers).toEqual({
      'x-api-key': 'ab%zz',
      ok: '1',
    });
    expect(parseHeaders('a=100%,b=%4,c=50%25', 'H')).toEqual({ a: '100%', b: '%4', c: '50%' });
    expect(warn).not.toHaveBeenCalled();
  });

  it('decodes valid escapes as UTF-8 and invalid UTF-8 to U+FFFD', () => {
    expect(decodeBaggageValue('%C3%A9t%C3%A9')).toBe('été');
    expect(decodeBaggageValue('%E9t%C3%A9')).toBe('\uFFFDté');
    expect(decodeBaggageValue('%E2%82%zz')).toBe('\uFFFD%zz');
    expect(decodeBaggageValue('%zz%41%')).toBe('%zzA%');
    // Characters that are not escapes stay as they are, whatever they are.
    expect(decodeBaggageValue('é%zz')).toBe('é%zz');
    expect(decodeBaggageValue('ű%41')).toBe('űA');
  });

  it('a value that then holds a character fetch cannot send (U+FFFD) is still skipped, with a warning', () => {
    const warn = captureWarnings();
    expect(parseHeaders('bad=%E9t,ok=%C3%A9', 'H')).toEqual({ ok: 'é' });
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe('core README "An invalid variable is reported through diag and ignored": values that are not strings', () => {
  // A Cloudflare Worker's JSON [vars] hold numbers and booleans as they are.
  it('reads numbers as their text', () => {
    const warn = captureWarnings();
    expect(config({ OTEL_EXPORTER_OTLP_TIMEOUT: 5000 }).timeoutMillis).toBe(5000);
    expect(config({ OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: 0 }).timeoutMillis).toBe(2 ** 31 - 1);
    expect(warn).not.toHaveBeenCalled();
  });

  it('reports any other value and ignores it, without throwing', () => {
    const warn = captureWarnings();
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: { url: 'http://collector:4318' },
      OTEL_EXPORTER_OTLP_HEADERS: null,
      OTEL_EXPORTER_OTLP_COMPRESSION: ['gzip'],
    } as unknown as EnvLike;
    expect(config(env)).toMatchObject({
      url: 'http://localhost:4318/v1/traces',
      headers: {},
      compression: 'none',
    });
    expect(warn).toHaveBeenCalledTimes(3);
  });
});
