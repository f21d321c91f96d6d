import type { Attributes, Exception } from '@opentelemetry/api';

/**
 * The semantic-convention attributes of an `exception` event: `exception.type`,
 * `exception.message`, `exception.stacktrace`. Undefined when the value says nothing (the event
 * needs a type or a message). Reads of a hostile object's getters that throw are skipped.
 */
export function exceptionAttributes(exception: Exception | unknown): Attributes | undefined {
  const attributes: Attributes = {};
  if (typeof exception === 'string') {
    attributes['exception.message'] = exception;
  } else if (exception !== null && typeof exception === 'object') {
    const value = exception as {
      code?: unknown;
      name?: unknown;
      message?: unknown;
      stack?: unknown;
    };
    const code = read(() => value.code);
    const name = read(() => value.name);
    // A string code names the error more precisely than its class (Node's `ECONNRESET`); a number
    // does not (a DOMException's legacy code, `20` for every AbortError): its name is the type.
    const type = typeof code === 'string' && code !== '' ? code : name;
    if (typeof type === 'string' && type) attributes['exception.type'] = type;
    const message = read(() => value.message);
    if (typeof message === 'string' && message) attributes['exception.message'] = message;
    const stack = read(() => value.stack);
    if (typeof stack === 'string' && stack) attributes['exception.stacktrace'] = stack;
  }
  return attributes['exception.type'] !== undefined || attributes['exception.message'] !== undefined
    ? attributes
    : undefined;
}

function read(get: () => unknown): unknown {
  try {
    return get();
  } catch {
    return undefined;
  }
}
