import { DiagLogLevel, diag } from '@opentelemetry/api';
import type { EnvSource } from '@spanlite/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setupTracing, type TestTracing } from '../test/setup-tracing';
import { withTracing } from './with-tracing';

const OTLP_URL = 'http://localhost:4318/v1/traces';

let setup: TestTracing | undefined;
const warnings: string[] = [];
afterEach(async () => {
  await setup?.teardown();
  setup = undefined;
  diag.disable();
  warnings.length = 0;
  vi.restoreAllMocks();
});

function captureWarnings(): void {
  const record = (message: string) => warnings.push(message);
  const ignore = () => {};
  diag.setLogger(
    { error: record, warn: record, info: ignore, debug: ignore, verbose: ignore },
    DiagLogLevel.WARN,
  );
}

/** registerTracing with no exporter given, so the environment chooses; one traced request. */
async function tracedRequest(env: EnvSource): Promise<string[]> {
  setup = setupTracing({ exporter: undefined, instrumentFetch: false, env });
  const handler = withTracing(async () => new Response('ok'), { route: '/api/items' });
  await handler(new Request('http://app.test/api/items'));
  await setup.handle.forceFlush();
  return setup.calls.map((call) => call.url);
}

// OpenTelemetry SDK environment variables, "Exporter Selection": OTEL_TRACES_EXPORTER, a list
// of `otlp` (the default), `console`, `none`.
describe('OTEL_TRACES_EXPORTER', () => {
  it('exports OTLP by default', async () => {
    expect(await tracedRequest({})).toEqual([OTLP_URL]);
    expect(setup!.calls[0]!.headers.get('content-type')).toBe('application/x-protobuf');
  });

  it('exports nothing with none', async () => {
    expect(await tracedRequest({ OTEL_TRACES_EXPORTER: 'none' })).toEqual([]);
  });

  it('prints each span with console, and sends nothing', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await tracedRequest({ OTEL_TRACES_EXPORTER: ' Console ' })).toEqual([]);
    expect(log.mock.calls.map((args) => String(args[0])).join('\n')).toContain('GET /api/items');
  });

  it('takes a list: otlp and console both', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await tracedRequest({ OTEL_TRACES_EXPORTER: 'otlp,console' })).toEqual([OTLP_URL]);
    expect(log).toHaveBeenCalled();
  });

  it('warns of an unsupported name and skips it; nothing but unsupported names means unset', async () => {
    captureWarnings();
    expect(await tracedRequest({ OTEL_TRACES_EXPORTER: 'Zipkin' })).toEqual([OTLP_URL]);
    // as written ("SHOULD display the original user-provided value")
    expect(warnings.join('\n')).toContain('"Zipkin" is not supported');
  });

  it('lets an exporter given in code win over the variable', async () => {
    setup = setupTracing({ env: { OTEL_TRACES_EXPORTER: 'none' } });
    const handler = withTracing(async () => new Response('ok'), { route: '/api/items' });
    await handler(new Request('http://app.test/api/items'));
    expect((await setup.spans()).map((span) => span.name)).toEqual(['GET /api/items']);
  });
});

// "Boolean": only a case-insensitive "true" is true; other values than true, false or empty
// SHOULD be warned about.
describe('OTEL_SDK_DISABLED', () => {
  it('disables tracing for TRUE, and warns of a value that is not a boolean', async () => {
    expect(await tracedRequest({ OTEL_SDK_DISABLED: 'TRUE' })).toEqual([]);
    await setup!.teardown();
    captureWarnings();
    expect(await tracedRequest({ OTEL_SDK_DISABLED: 'yes' })).toEqual([OTLP_URL]);
    expect(warnings.join('\n')).toContain('OTEL_SDK_DISABLED=yes');
    // read once, by the provider
    expect(warnings.filter((w) => w.includes('OTEL_SDK_DISABLED'))).toHaveLength(1);
  });
});

// core README: "An invalid variable is reported through diag and ignored". A Cloudflare Worker's
// JSON [vars] hold numbers and booleans as they are, and `env` may be given a map of bindings.
describe('env values that are not strings', () => {
  it('reads numbers and booleans as their text: OTEL_SDK_DISABLED: true disables tracing', async () => {
    captureWarnings();
    const env = {
      OTEL_SDK_DISABLED: true,
      OTEL_BSP_SCHEDULE_DELAY: 1000,
      OTEL_EXPORTER_OTLP_TIMEOUT: 5000,
    };
    expect(await tracedRequest(env)).toEqual([]);
    expect(setup!.handle.provider.disabled).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('reports any other value and ignores it; registerTracing does not throw', async () => {
    captureWarnings();
    const names = [
      'OTEL_TRACES_EXPORTER',
      'OTEL_LOG_LEVEL',
      'OTEL_PROPAGATORS',
      'OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS',
      'NEXT_RUNTIME',
      'VERCEL',
    ];
    const env = Object.fromEntries(names.map((name) => [name, { binding: name }]));
    expect(await tracedRequest(env as unknown as EnvSource)).toEqual([OTLP_URL]);
    for (const name of names) {
      expect(warnings.filter((w) => w.startsWith(`${name} is not a string`))).toHaveLength(1);
    }
    expect(setup!.handle.provider.disabled).toBe(false);
  });
});
