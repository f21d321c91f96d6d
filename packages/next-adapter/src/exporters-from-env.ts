import { diag } from '@opentelemetry/api';
import {
  BatchSpanProcessor,
  type EnvSource,
  readEnvText,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@spanlite/core';
import { ConsoleSpanExporter, OtlpTraceExporter } from '@spanlite/exporters';

/**
 * The span processors of `OTEL_TRACES_EXPORTER` (a comma-separated list; default `otlp`):
 * `otlp` behind a `BatchSpanProcessor` (`OTEL_BSP_*`), `console` behind a `SimpleSpanProcessor`
 * (each span printed as it ends), `none` for no exporter. Unknown names (`zipkin`, `jaeger`, …) are
 * warned about and skipped; a list of nothing but unknown names is ignored, as if unset.
 */
export function exporterProcessorsFromEnv(env: EnvSource): SpanProcessor[] {
  const names = new Set<string>();
  for (const part of (readEnvText(env, 'OTEL_TRACES_EXPORTER') ?? '').split(',')) {
    const given = part.trim();
    const name = given.toLowerCase();
    if (name === '') continue;
    if (name === 'otlp' || name === 'console' || name === 'none') names.add(name);
    else
      diag.warn(`OTEL_TRACES_EXPORTER: "${given}" is not supported (otlp, console, none); skipped`);
  }
  if (names.has('none')) {
    if (names.size > 1)
      diag.warn('OTEL_TRACES_EXPORTER lists "none" with others; exporting nothing');
    return [];
  }
  if (names.size === 0) names.add('otlp');
  const processors: SpanProcessor[] = [];
  if (names.has('otlp')) processors.push(batched(new OtlpTraceExporter({ env }), env));
  if (names.has('console')) processors.push(new SimpleSpanProcessor(new ConsoleSpanExporter()));
  return processors;
}

/** `exporter` behind a `BatchSpanProcessor` configured by `OTEL_BSP_*`. */
export function batched(exporter: SpanExporter, env: EnvSource): SpanProcessor {
  return new BatchSpanProcessor(exporter, { env });
}
