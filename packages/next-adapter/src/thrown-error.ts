import { type Exception, type Span, SpanStatusCode } from '@opentelemetry/api';

/**
 * A throw on a span, as the server and the client spans record it: an `exception` event (an
 * error, or error-like object, as it is; another object by its type; any other value by its text,
 * so that a thrown `42`, `undefined` or `Response`, which has no type or message to record, still
 * leaves its event, and no warning on every request), ERROR status with
 * the message, and `error.type`. `scrub` rewrites the message and stack trace recorded (a URL's
 * credentials in them), never the error the caller gets.
 */
export function recordThrown(span: Span, error: unknown, scrub?: (text: string) => string): void {
  let exception = exceptionOf(error);
  let message = error instanceof Error ? error.message : String(error);
  if (scrub !== undefined) {
    message = scrub(message);
    exception = typeof exception === 'string' ? scrub(exception) : scrubbed(exception, scrub);
  }
  span.recordException(exception);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  span.setAttribute('error.type', errorType(error));
}

/** What `span.recordException` is given for a thrown value (see recordThrown). */
export function exceptionOf(error: unknown): Exception {
  return error !== null && typeof error === 'object' ? asException(error) : String(error);
}

/**
 * An object thrown as it is when it has a code, name or message to record; else (a thrown `Response`, a
 * plain object) its built-in type (`Response`, `Object`) as the exception's type, so that it too
 * leaves its event. Not its constructor's name, which a production bundle minifies.
 */
function asException(error: object): Exception {
  try {
    const { code, name, message } = error as ErrorLike;
    if (
      (typeof code === 'string' && code) ||
      (typeof name === 'string' && name) ||
      (typeof message === 'string' && message)
    ) {
      return error as Exception;
    }
    return { name: Object.prototype.toString.call(error).slice(8, -1) };
  } catch {
    return { name: 'Object' }; // a Proxy whose traps throw
  }
}

/** What the exception event reads of an error, its message and stack trace scrubbed. */
function scrubbed(exception: Exception, scrub: (text: string) => string): Exception {
  const error = exception as ErrorLike;
  const copy: ErrorLike = {};
  try {
    if (error.code !== undefined) copy.code = error.code;
    if (typeof error.name === 'string') copy.name = error.name;
    if (typeof error.message === 'string') copy.message = scrub(error.message);
    if (typeof error.stack === 'string') copy.stack = scrub(error.stack);
  } catch {
    // a getter that throws: what was read so far
  }
  return copy as Exception;
}

interface ErrorLike {
  code?: string | number;
  name?: string;
  message?: string;
  stack?: string;
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
