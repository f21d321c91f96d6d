import { type Attributes, diag } from '@opentelemetry/api';
import { type EnvSource, reportEnv } from '../config/env';
import { isValidBaggageKey } from '../propagation/baggage-codec';
import { allCharsIn, BAGGAGE_OCTET } from '../propagation/header-chars';

/**
 * OTEL_RESOURCE_ATTRIBUTES: `key=value` pairs joined by commas, "in a format matching to the W3C
 * Baggage, except that additional semi-colon delimited metadata is not supported": each key a
 * token, each value baggage-octets ("characters outside the baggage-octet range MUST be percent
 * encoded"), optional whitespace around them; keys and values percent-decoded. The specification:
 * on any error ("failure to decode the value or parse the key/value pair") the whole value is
 * discarded and reported (once for `env`).
 */
export function parseResourceAttributes(raw: string | undefined, env: EnvSource): Attributes {
  if (raw === undefined || raw.trim() === '') return {};
  const attributes: Attributes = {};
  for (const pair of raw.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = pair.slice(0, eq).trim();
    const rawValue = pair.slice(eq + 1).trim();
    const valid =
      eq > 0 &&
      isValidBaggageKey(rawKey) &&
      allCharsIn(rawValue, 0, rawValue.length, BAGGAGE_OCTET);
    const key = valid ? decode(rawKey) : undefined;
    const value = valid ? decode(rawValue) : undefined;
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
