/**
 * `instanceof Request` / `Response` without a global read per call: in the edge runtime's VM (and
 * Next.js's edge sandbox) every global read goes through the context's interceptor (~0.5 µs a
 * request in bench/src/next.bench.mjs). The classes are read once, when this module loads; a value
 * that is not an instance of those is checked against the current global too, in case a polyfill
 * replaced it since.
 */
const RequestAtLoad = typeof Request === 'function' ? Request : undefined;
const ResponseAtLoad = typeof Response === 'function' ? Response : undefined;

/** False too for a value `instanceof` throws on (a revoked Proxy). */
export function isRequest(value: unknown): value is Request {
  try {
    return (
      (RequestAtLoad !== undefined && value instanceof RequestAtLoad) ||
      (typeof Request === 'function' && value instanceof Request)
    );
  } catch {
    return false;
  }
}

export function isResponse(value: unknown): value is Response {
  return (
    (ResponseAtLoad !== undefined && value instanceof ResponseAtLoad) ||
    (typeof Response === 'function' && value instanceof Response)
  );
}

/**
 * The abort signal of `request`, where it has one (Next.js aborts a route handler's when the client
 * goes away before the response is sent); undefined otherwise. Not an `instanceof` check: the
 * edge runtime's requests carry a signal of another realm. Never throws.
 */
export function abortSignalOf(request: unknown): AbortSignal | undefined {
  try {
    const signal = (request as Request).signal;
    return typeof signal?.aborted === 'boolean' ? signal : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `signal` has aborted; false where it cannot be read: workerd refuses a request's objects
 * to code running for another request, as a shared timer does.
 */
export function hasAborted(signal: AbortSignal | undefined): boolean {
  try {
    return signal?.aborted === true;
  } catch {
    return false;
  }
}
