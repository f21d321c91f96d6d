import type { InstrumentationLike } from './instrumentations';

const UNDICI = '@opentelemetry/instrumentation-undici';
/** The User-Agent of `@spanlite/exporters`' OTLP requests (`…-javascript/<version>`). */
const EXPORTER_AGENT = 'spanlite-otlp-exporter-javascript/';

type RequestHook = (request: { headers?: unknown }) => unknown;

/**
 * Node runtime: `@opentelemetry/instrumentation-undici` is made to leave spanlite's OTLP exports
 * alone. The node runtime's own run with tracing suppressed, which it obeys; those of Next.js's
 * edge sandbox run on the host's fetch, outside the sandbox's context, where nothing is
 * suppressed: each would become a client span in the request's trace, and reach the collector
 * with a `traceparent`. They are told by the exporter's User-Agent; the instrumentation's own
 * `ignoreRequestHook` still applies to the rest.
 */
export function adaptInstrumentation(instrumentation: InstrumentationLike): void {
  if (instrumentation.instrumentationName !== UNDICI || !instrumentation.setConfig) return;
  const config: { enabled?: boolean; ignoreRequestHook?: RequestHook } =
    instrumentation.getConfig?.() ?? {};
  const own = config.ignoreRequestHook;
  const ignoreRequestHook: RequestHook = (request) =>
    isExport(request) || (typeof own === 'function' && Boolean(own(request)));
  const adapted = { ...config, ignoreRequestHook };
  instrumentation.setConfig(adapted);
}

function isExport(request: { headers?: unknown }): boolean {
  const headers = request.headers;
  // undici keeps them as `name: value\r\n` text, or as a flat list of names and values (strings
  // or bytes)
  const text = Array.isArray(headers) ? headers.join('\n') : String(headers);
  return text.includes(EXPORTER_AGENT);
}
