import { diag } from '@opentelemetry/api';
import { type EnvSource, readCount } from '../config/env';
import { toText } from './to-text';

/** OpenTelemetry span limits; `Infinity` means unlimited. */
export interface SpanLimits {
  attributeCountLimit: number;
  attributeValueLengthLimit: number;
  eventCountLimit: number;
  linkCountLimit: number;
  attributePerEventCountLimit: number;
  attributePerLinkCountLimit: number;
}

/** Each limit optional; one given as `undefined` is left to the environment and the default. */
export type SpanLimitsOptions = { [K in keyof SpanLimits]?: SpanLimits[K] | undefined };

const DEFAULT_COUNT = 128;

function pick(...values: Array<number | undefined>): number | undefined {
  for (const value of values) if (value !== undefined) return value;
  return undefined;
}

function valid(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!(value >= 0)) {
    diag.warn(
      `span limit ${name}=${toText(value)} is not a non-negative number; using the default`,
    );
    return undefined;
  }
  return value;
}

/**
 * Options win over the environment; a span-specific variable (OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT)
 * wins over the general one (OTEL_ATTRIBUTE_COUNT_LIMIT); the defaults are the specification's
 * (128 of each, attribute values unlimited in length).
 */
export function resolveSpanLimits(
  options: SpanLimitsOptions | undefined,
  env: EnvSource,
): SpanLimits {
  const o = options ?? {};
  const attributeCountLimit =
    pick(
      valid('attributeCountLimit', o.attributeCountLimit),
      readCount(env, 'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT'),
      readCount(env, 'OTEL_ATTRIBUTE_COUNT_LIMIT'),
    ) ?? DEFAULT_COUNT;
  const attributeValueLengthLimit =
    pick(
      valid('attributeValueLengthLimit', o.attributeValueLengthLimit),
      readCount(env, 'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT'),
      readCount(env, 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'),
    ) ?? Number.POSITIVE_INFINITY;
  return {
    attributeCountLimit,
    attributeValueLengthLimit,
    eventCountLimit:
      pick(
        valid('eventCountLimit', o.eventCountLimit),
        readCount(env, 'OTEL_SPAN_EVENT_COUNT_LIMIT'),
      ) ?? DEFAULT_COUNT,
    linkCountLimit:
      pick(
        valid('linkCountLimit', o.linkCountLimit),
        readCount(env, 'OTEL_SPAN_LINK_COUNT_LIMIT'),
      ) ?? DEFAULT_COUNT,
    attributePerEventCountLimit:
      pick(
        valid('attributePerEventCountLimit', o.attributePerEventCountLimit),
        readCount(env, 'OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT'),
        readCount(env, 'OTEL_ATTRIBUTE_COUNT_LIMIT'),
      ) ?? DEFAULT_COUNT,
    attributePerLinkCountLimit:
      pick(
        valid('attributePerLinkCountLimit', o.attributePerLinkCountLimit),
        readCount(env, 'OTEL_LINK_ATTRIBUTE_COUNT_LIMIT'),
        readCount(env, 'OTEL_ATTRIBUTE_COUNT_LIMIT'),
      ) ?? DEFAULT_COUNT,
  };
}
