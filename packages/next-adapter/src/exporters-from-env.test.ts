import { DiagLogLevel, diag } from '@opentelemetry/api';
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
async function tracedRequest(env: Record<string, string>): Promise<string[]> {
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
    expect(await tracedRequest({ OTEL_TRACES_EXPORTER: 'zipkin' })).toEqual([OTLP_URL]);
    expect(warnings.join('\n')).toContain('"zipkin" is not supported');
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
