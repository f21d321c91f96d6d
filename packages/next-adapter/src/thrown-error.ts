import { type Exception, type Span, SpanStatusCode } from '@opentelemetry/api';

/**
 * A throw on a span, as the server and the client spans record it: an `exception` event (an
 * error, or error-like object, as it is; any other value by its text, so that a thrown `42` or
 * `undefined`, which has no type or message to record, still leaves its event), ERROR status with
 * the message, and `error.type`.
 */
export function recordThrown(span: Span, error: unknown): void {
  span.recordException(
    error !== null && typeof error === 'object' ? (error as Exception) : String(error),
  );
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
  span.setAttribute('error.type', errorType(error));
}

/**
 * `error.type` of a throw: the error's name (`TypeError`, `AbortError`), else `_OTHER`, the
 * conventions' fallback ("_OTHER: A fallback error value to be used when the instrumentation
 * doesn't define a custom value"); `typeof` would have said `string` or `undefined`.
 */
function errorType(error: unknown): string {
  const name =
    error !== null && typeof error === 'object' ? (error as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name !== '' ? name : '_OTHER';
}
