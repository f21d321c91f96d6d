// Edge-safe runtime bindings (edge routes, middleware, Workers). The node build replaces this file
// with ./node.ts (see scripts/tsup-runtime.ts).
import type { Context, Span, TextMapPropagator } from '@opentelemetry/api';
import type { FinishedSpan } from '@spanlite/core';

/**
 * The propagator to register with `@opentelemetry/api`. In an edge runtime the request's headers
 * are Web `Headers`, whose context the wrappers continue themselves: the configured one as it is.
 */
export function globalPropagator(propagator: TextMapPropagator): TextMapPropagator {
  return propagator;
}

/** Writes a request span's context into plain incoming headers: none in an edge runtime. */
export function writeIncomingHeaders(
  _span: Span & FinishedSpan,
  _parentContext: Context,
  _propagator: TextMapPropagator,
): void {}
