import { type Attributes, diag } from '@opentelemetry/api';

/**
 * OTEL_RESOURCE_ATTRIBUTES: `key=value` pairs joined by commas, keys and values percent-decoded
 * and trimmed. The specification: on any error the whole value is discarded and reported.
 */
export function parseResourceAttributes(raw: string | undefined): Attributes {
  if (raw === undefined || raw.trim() === '') return {};
  const attributes: Attributes = {};
  for (const pair of raw.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    const key = eq < 0 ? '' : decode(pair.slice(0, eq).trim());
    const value = eq < 0 ? undefined : decode(pair.slice(eq + 1).trim());
    if (!key || value === undefined) {
      diag.error(`OTEL_RESOURCE_ATTRIBUTES is invalid near "${pair}"; the whole value is ignored`);
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
