// The reference SDK with its OTLP/HTTP JSON exporter (see reference.mjs).
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerReference } from './reference.mjs';

export function register(options) {
  return registerReference(OTLPTraceExporter, options);
}
