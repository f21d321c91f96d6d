import type { Exception, Span } from '@opentelemetry/api';

/**
 * `error.type` of a throw: the error's name (`TypeError`, `AbortError`), else `_OTHER`, the
 * conventions' fallback ("_OTHER: A fallback error value to be used when the instrumentation
 * doesn't define a custom value"); `typeof` would have said `string` or `undefined`.
 */
export function errorType(error: unknown): string {
  const name =
    error !== null && typeof error === 'object' ? (error as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name !== '' ? name : '_OTHER';
}

/**
 * Records a throw as an `exception` event: an error (or error-like object) as it is, any other
 * value by its text, so that a thrown `42` or `undefined`, which has no type or message to
 * record, still leaves its event beside the ERROR status.
 */
export function recordThrown(span: Span, error: unknown): void {
  span.recordException(
    error !== null && typeof error === 'object' ? (error as Exception) : String(error),
  );
}
