// @vercel/otel as its README sets it up: `registerOTel({ serviceName })`, everything else default
// (its fetch instrumentation; outside Vercel, an OTLP/HTTP protobuf exporter when
// OTEL_EXPORTER_OTLP_ENDPOINT is set, which it reads from `process.env`: the bench sets it there).
import { trace } from '@opentelemetry/api';
import { registerOTel } from '@vercel/otel';

export function register({ serviceName }) {
  registerOTel({ serviceName });
  const provider = trace.getTracerProvider().getDelegate();
  return { flush: () => provider.forceFlush().then(() => 'resolved') };
}
