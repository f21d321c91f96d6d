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
