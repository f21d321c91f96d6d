// spanlite as a Next.js app's instrumentation.ts sets it up: `registerTracing` of @spanlite/next
// with its defaults (OTLP/HTTP protobuf exporter behind a BatchSpanProcessor, W3C Trace Context +
// Baggage, AsyncLocalStorage context manager, outbound fetch instrumented), the endpoint given
// through `env`.
import { registerTracing } from '@spanlite/next';

export function register({ serviceName, endpoint }) {
  const handle = registerTracing({
    serviceName,
    env: endpoint === undefined ? {} : { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint },
  });
  return { flush: () => handle.forceFlush() };
}
