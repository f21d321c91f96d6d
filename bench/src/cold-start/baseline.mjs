// The baseline of cold-start.bench.mjs: no tracing. What every stack's entry loads before its own
// modules (@opentelemetry/api, undici's `Request`) is loaded by the entry itself, so this stack
// adds nothing: its "first span" is the API's no-op span.
export function register() {
  return { flush: () => Promise.resolve('none') };
}
