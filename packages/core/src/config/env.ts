import { diag } from '@opentelemetry/api';
import { getProcessEnv } from '../runtime/edge';

/**
 * Where OTEL_* settings are read from: an explicit object (a Worker's bindings, as `wrangler
 * types` declares them; tests) or the process's environment. Only the variables' names are read.
 * Numbers and booleans are read as their text: a Cloudflare Worker's JSON `[vars]` can be
 * `{ "OTEL_SDK_DISABLED": true }` or `{ "OTEL_BSP_SCHEDULE_DELAY": 1000 }`.
 */
export type EnvSource = object;

/**
 * The reports made about each env object, so that a bad value is reported once however often it
 * is read (one provider reads OTEL_ATTRIBUTE_COUNT_LIMIT three times; every provider, processor and
 * exporter made with the same environment reads it again), while an env object of its own (a
 * test's, a Worker's bindings) starts afresh.
 */
const reported = new WeakMap<object, Set<string>>();

/**
 * Reports a problem with a variable of `env` through `diag` (`log`: `diag.warn` by default), once
 * per env object and message: the message names the variable and its value.
 */
export function reportEnv(env: EnvSource, message: string, log = diag.warn): void {
  // Object(env) is env itself; a primitive (a JavaScript caller's `env: 'x'`) gets a new wrapper
  // each time, so nothing is kept for it, and WeakMap is never handed a key it refuses.
  const key = Object(env);
  let seen = reported.get(key);
  if (seen === undefined) reported.set(key, (seen = new Set()));
  if (!seen.has(message)) {
    seen.add(message);
    log(message);
  }
}

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
  } catch {
    // a getter that refuses (Deno without --allow-env)
    reportEnv(env, `${name} could not be read; ignored`);
    return undefined;
  }
  if (typeof value === 'string') return value;
  if (value === undefined) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  reportEnv(
    env,
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
  reportEnv(env, `${name}=${readText(env, name)} is not "true" or "false"; using false`);
  return false;
}

/** A non-negative integer; an invalid value is reported and ignored. */
export function readCount(env: EnvSource, name: string): number | undefined {
  const value = readString(env, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) {
    reportEnv(env, `${name}=${value} is not a non-negative integer; ignored`);
    return undefined;
  }
  return Number(value);
}
