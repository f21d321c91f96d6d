import { type Attributes, diag } from '@opentelemetry/api';
import { type EnvSource, reportEnv } from '../config/env';

/**
 * OTEL_RESOURCE_ATTRIBUTES: `key=value` pairs joined by commas, keys and values percent-decoded
 * and trimmed. The specification: on any error the whole value is discarded and reported (once
 * for `env`).
 */
export function parseResourceAttributes(raw: string | undefined, env: EnvSource): Attributes {
  if (raw === undefined || raw.trim() === '') return {};
  const attributes: Attributes = {};
  for (const pair of raw.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    const key = eq < 0 ? '' : decode(pair.slice(0, eq).trim());
    const value = eq < 0 ? undefined : decode(pair.slice(eq + 1).trim());
    if (!key || value === undefined) {
      reportEnv(
        env,
        `OTEL_RESOURCE_ATTRIBUTES is invalid near "${pair}"; the whole value is ignored`,
        diag.error,
      );
      return {};
    }
    attributes[key] = value;
  }
  return attributes;
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
