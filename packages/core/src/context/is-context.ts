import type { Context } from '@opentelemetry/api';

/** Whether a value can serve as a Context (callers may pass anything). */
export function isContext(value: unknown): value is Context {
  return typeof (value as Context | null)?.getValue === 'function';
}
