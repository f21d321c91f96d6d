import type { SpanContext } from '@opentelemetry/api';

/**
 * A span context's trace state as text, `''` for none. A trace state that cannot serialize
 * itself (a link's span context that went through JSON has a plain object there; a custom one may
 * throw or return something else) counts as none, so one such link cannot fail its whole batch.
 */
export function traceStateText(context: SpanContext): string {
  try {
    const text = context.traceState?.serialize();
    return typeof text === 'string' ? text : '';
  } catch {
    return '';
  }
}
