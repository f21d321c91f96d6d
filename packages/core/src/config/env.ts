import { diag } from '@opentelemetry/api';
import { getProcessEnv } from '../runtime/edge';

/**
 * Where OTEL_* settings are read from: an explicit object (a Worker's bindings, as `wrangler
 * types` declares them; tests) or the process's environment. Only the variables' names are read.
 * Numbers and booleans are read as their text: a Cloudflare Worker's JSON `[vars]` can be
 * `{ "OTEL_SDK_DISABLED": true }` or `{ "OTEL_BSP_SCHEDULE_DELAY": 1000 }`.
 */
export type EnvSource = object;

/** The process's environment, where the runtime has one; else an empty one. */
export function defaultEnv(): EnvSource {
  return getProcessEnv();
}

/**
 * A variable's text as given, untrimmed: a string as it is, a number or boolean as its `String()`.
 * Any other value (an object, `null`: a binding passed along with the variables, say) is reported
 * and read as unset, so that nothing a map of bindings holds can make reading it throw.
 */
export function readText(env: EnvSource, name: string): string | undefined {
  let value: unknown;
  try {
    value = (env as Record<string, unknown>)[name];
  } catch (error) {
    // a getter that refuses (Deno without --allow-env)
    diag.warn(`${name} could not be read; ignored`, error);
    return undefined;
  }
  if (typeof value === 'string') return value;
  if (value === undefined) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  diag.warn(
    `${name} is not a string, number or boolean (${value === null ? 'null' : typeof value}); ignored`,
  );
  return undefined;
}

/** A trimmed value; the specification treats an empty value as unset. */
export function readString(env: EnvSource, name: string): string | undefined {
  const value = readText(env, name)?.trim();
  return value ? value : undefined;
}

/** Per the environment-variable spec: only a case-insensitive "true" is true. */
export function readBoolean(env: EnvSource, name: string): boolean {
  const value = readString(env, name)?.toLowerCase();
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  diag.warn(`${name}=${readText(env, name)} is not "true" or "false"; using false`);
  return false;
}

/** A non-negative integer; an invalid value is reported and ignored. */
export function readCount(env: EnvSource, name: string): number | undefined {
  const value = readString(env, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) {
    diag.warn(`${name}=${value} is not a non-negative integer; ignored`);
    return undefined;
  }
  return Number(value);
}
