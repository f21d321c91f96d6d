import { type Context, createContextKey } from '@opentelemetry/api';

// The same key the reference SDK uses (`createContextKey` keys by `Symbol.for(description)`), so a
// context suppressed by @opentelemetry/core is suppressed here too, and the other way round.
const SUPPRESS_TRACING_KEY = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

/** A context in which no span is recorded: exporters use it for their own network calls. */
export function suppressTracing(context: Context): Context {
  return context.setValue(SUPPRESS_TRACING_KEY, true);
}

export function unsuppressTracing(context: Context): Context {
  return context.deleteValue(SUPPRESS_TRACING_KEY);
}

export function isTracingSuppressed(context: Context): boolean {
  return context.getValue(SUPPRESS_TRACING_KEY) === true;
}
