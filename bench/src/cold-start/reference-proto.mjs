// The reference SDK with its OTLP/HTTP protobuf exporter (see reference.mjs).
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerReference } from './reference.mjs';

export function register(options) {
  return registerReference(OTLPTraceExporter, options);
}
