/**
 * The exporter's User-Agent, from the node build (protocol/exporter.md: "OTLP exporters SHOULD
 * emit a User-Agent header to at a minimum identify the exporter, the language of its
 * implementation, and the version of the exporter"). The edge build sends it too, but from a
 * browser (see browser-globals.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { fakeClock, scriptedFetch, status } from '../../test/fixtures/fake-transport';
import { finishedSpan } from '../../test/fixtures/finished-spans';
import { VERSION } from '../version';
import { OtlpTraceExporter } from './otlp-trace-exporter';

async function headersSent(env: Record<string, string>): Promise<Record<string, string>> {
  const { fetch, requests } = scriptedFetch([status(200)]);
  const exporter = new OtlpTraceExporter({ env, transportHooks: { ...fakeClock().hooks, fetch } });
  await new Promise((resolve) => exporter.export([finishedSpan()], resolve));
  return requests[0]!.init.headers as Record<string, string>;
}

describe('User-Agent', () => {
  it('names the exporter, its language and its version', async () => {
    expect((await headersSent({}))['User-Agent']).toBe(
      `spanlite-otlp-exporter-javascript/${VERSION}`,
    );
  });

  it('gives way to a User-Agent configured in OTEL_EXPORTER_OTLP_HEADERS', async () => {
    const headers = await headersSent({ OTEL_EXPORTER_OTLP_HEADERS: 'user-agent=my-app/2' });
    expect(Object.entries(headers).filter(([name]) => name.toLowerCase() === 'user-agent')).toEqual(
      [['user-agent', 'my-app/2']],
    );
  });
});
