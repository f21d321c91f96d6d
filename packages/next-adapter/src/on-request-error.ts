import type { Exception, Span } from '@opentelemetry/api';
import type { FinishedSpan } from '@spanlite/core';
import { getRequestSpan } from './get-request-span';
import { nextRecordsThrow } from './instrumentation-scope';
import { isControlFlow } from './next-control-flow';
import { exceptionOf } from './thrown-error';

/**
 * Next.js's `onRequestError` hook, for `instrumentation.ts`:
 * `export { onRequestError } from '@spanlite/next';`. Next.js calls it with each error it caught
 * while handling a request: a page's, layout's or `generateMetadata`'s render, a server action, a
 * route handler (an edge route's in the node server), middleware (in the edge sandbox; not a
 * `proxy.ts`, for which Next.js 16.5 does not call it). It records the error as an `exception`
 * event (type, message, stack trace) on the request's span (see getRequestSpan), where Next.js
 * leaves only ERROR and `error.type` `500`, with no message: a failed page or server action
 * otherwise says nothing of what failed. An error already recorded there (a wrapped handler's
 * throw, which the wrapper records; the same error reported again for another render phase) is
 * not recorded twice, nor one on middleware's span, which Next.js records itself, and Next.js's
 * `redirect()`-style throws are no errors. Never throws.
 */
export function onRequestError(error: unknown, ..._rest: unknown[]): void {
  try {
    const span = getRequestSpan();
    if (span === undefined || !span.isRecording() || isControlFlow(error)) return;
    // middleware's span, in the edge sandbox: Next.js records the error there itself
    if (nextRecordsThrow(span)) return;
    const exception = exceptionOf(error);
    if (!hasException(span, exception)) span.recordException(exception);
  } catch {
    // never into Next.js's error handling
  }
}

/**
 * Whether `span` has the exception event `exception` would leave already: one with its message,
 * or, for an error without one (`throw { code: 42 }`, `new Error('')`), one without a message and
 * with its type, as core records them (a string `code`, else the `name`).
 */
function hasException(span: Span, exception: Exception): boolean {
  const events = (span as Partial<FinishedSpan>).events;
  if (events === undefined || events.length === 0) return false;
  let key = 'exception.message';
  let value: unknown = exception;
  if (typeof exception !== 'string') {
    const { code, name, message } = exception;
    value = message;
    if (typeof message !== 'string' || message === '') {
      key = 'exception.type';
      value = typeof code === 'string' && code !== '' ? code : name;
    }
  }
  if (typeof value !== 'string' || value === '') return false;
  return events.some(
    (event) =>
      event.name === 'exception' &&
      event.attributes?.[key] === value &&
      (key === 'exception.message' || event.attributes['exception.message'] === undefined),
  );
}
