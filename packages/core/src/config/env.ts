import { diag } from '@opentelemetry/api';
import { getProcessEnv } from '../runtime/edge';

/** Where OTEL_* settings are read from: an explicit map (workers' bindings, tests) or the process. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

export function defaultEnv(): EnvSource {
  return getProcessEnv();
}

/** A trimmed value; the specification treats an empty value as unset. */
export function readString(env: EnvSource, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** Per the environment-variable spec: only a case-insensitive "true" is true. */
export function readBoolean(env: EnvSource, name: string): boolean {
  const value = readString(env, name)?.toLowerCase();
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  diag.warn(`${name}=${env[name]} is not "true" or "false"; using false`);
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
