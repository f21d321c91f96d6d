// Conformance of the OTLP exporter's configuration with the OpenTelemetry specification. Each
// case names the clause it checks:
// - exporter.md: specification/protocol/exporter.md (Configuration Options, Endpoint URLs for
//   OTLP/HTTP, Specify Protocol, Specifying headers via environment variables)
// - env.md: specification/configuration/sdk-environment-variables.md (Parsing empty value,
//   Numeric, Timeout, Enum)
import { DiagLogLevel, diag } from '@opentelemetry/api';
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

  it('signal-specific headers replace generic ones of the same name, whatever its case', () => {
    const headers = config({
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=generic,x-generic=1',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'authorization=traces',
    }).headers;
    expect(headers).toEqual({ authorization: 'traces', 'x-generic': '1' });
    // What fetch would send: one value, not "generic, traces".
    expect(new Headers(headers).get('authorization')).toBe('traces');
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
