import { DiagLogLevel, diag } from '@opentelemetry/api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseHeaders, resolveOtlpConfig } from './otlp-config';

function captureDiag() {
  const warn = vi.fn();
  diag.setLogger(
    { warn, error: vi.fn(), info: vi.fn(), debug: vi.fn(), verbose: vi.fn() },
    DiagLogLevel.WARN,
  );
  return warn;
}

describe('resolveOtlpConfig', () => {
  afterEach(() => diag.disable());

  it('defaults to protobuf over http://localhost:4318/v1/traces, 10 s, uncompressed', () => {
    expect(resolveOtlpConfig({ env: {} })).toMatchObject({
      url: 'http://localhost:4318/v1/traces',
      headers: {},
      timeoutMillis: 10_000,
      compression: 'none',
      protocol: 'http/protobuf',
    });
  });

  it('uses the signal-specific endpoint as-is and appends /v1/traces to the generic one', () => {
    expect(
      resolveOtlpConfig({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4318/' } }).url,
    ).toBe('https://collector:4318/v1/traces');
    expect(
      resolveOtlpConfig({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://c/base/path' } }).url,
    ).toBe('https://c/base/path/v1/traces');
    expect(
      resolveOtlpConfig({
        env: {
          OTEL_EXPORTER_OTLP_ENDPOINT: 'https://generic',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://signal/custom',
        },
      }).url,
    ).toBe('https://signal/custom');
    expect(
      resolveOtlpConfig({
        url: 'http://option/x',
        env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://signal/custom' },
      }).url,
    ).toBe('http://option/x');
  });

  it('reads headers: signal-specific instead of generic, options over them per key, values percent-decoded', () => {
    const generic = resolveOtlpConfig({
      env: { OTEL_EXPORTER_OTLP_HEADERS: 'api-key=generic, x-team = a%20b ,shared=g' },
      headers: { shared: 'option' },
    });
    expect(generic.headers).toEqual({ 'api-key': 'generic', 'x-team': 'a b', shared: 'option' });
    const signal = resolveOtlpConfig({
      env: {
        OTEL_EXPORTER_OTLP_HEADERS: 'api-key=generic, x-team = a%20b ,shared=g',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'shared=s,only=trace',
      },
      headers: { only: 'option' },
    });
    expect(signal.headers).toEqual({ shared: 's', only: 'option' });
  });

  it('reads timeout, compression and protocol, signal-specific first', () => {
    const config = resolveOtlpConfig({
      env: {
        OTEL_EXPORTER_OTLP_TIMEOUT: '3000',
        OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '1500',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      },
    });
    expect(config).toMatchObject({
      timeoutMillis: 1500,
      compression: 'gzip',
      protocol: 'http/json',
    });
    const fromOptions = resolveOtlpConfig({
      env: { OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' },
      compression: 'none',
      timeoutMillis: 42,
    });
    expect(fromOptions).toMatchObject({ compression: 'none', timeoutMillis: 42 });
  });

  it('treats empty values as unset', () => {
    expect(
      resolveOtlpConfig({
        env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: ' ', OTEL_EXPORTER_OTLP_TIMEOUT: '' },
      }),
    ).toMatchObject({ url: 'http://localhost:4318/v1/traces', timeoutMillis: 10_000 });
  });

  it('warns about invalid values and falls back to defaults', () => {
    const warn = captureDiag();
    const config = resolveOtlpConfig({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url',
        OTEL_EXPORTER_OTLP_TIMEOUT: '-5',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'brotli',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      },
    });
    expect(config).toMatchObject({
      url: 'http://localhost:4318/v1/traces',
      timeoutMillis: 10_000,
      compression: 'none',
      protocol: 'http/protobuf',
    });
    expect(warn).toHaveBeenCalledTimes(4);
  });

  it('takes a retry member given as undefined as left out (exactOptionalPropertyTypes: `| undefined`)', () => {
    const warn = captureDiag();
    const jitter: number | undefined = undefined;
    expect(resolveOtlpConfig({ env: {}, retry: { maxAttempts: 2, jitter } }).retry).toEqual({
      maxAttempts: 2,
      initialBackoffMillis: 1000,
      maxBackoffMillis: 5000,
      backoffMultiplier: 1.5,
      jitter: 0.2,
    });
    expect(warn).not.toHaveBeenCalled();
  });

  it('reads process.env by default, where there is one', () => {
    const process = (globalThis as any).process;
    if (!process?.env) {
      expect(resolveOtlpConfig().url).toBe('http://localhost:4318/v1/traces');
      return;
    }
    const saved = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = 'http://from-env:1/t';
    try {
      expect(resolveOtlpConfig().url).toBe('http://from-env:1/t');
    } finally {
      if (saved === undefined) delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
      else process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = saved;
    }
  });

  it('skips malformed header entries', () => {
    const warn = captureDiag();
    expect(parseHeaders('=x,ok=1,bad=%E0%A4%A', 'H')).toEqual({ ok: '1' });
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
