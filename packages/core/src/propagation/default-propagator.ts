import type { TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator } from './composite-propagator';
import { W3CBaggagePropagator } from './w3c-baggage-propagator';
import { W3CTraceContextPropagator } from './w3c-trace-context-propagator';

/** The propagator `register()` installs unless told otherwise: W3C Trace Context, then W3C Baggage. */
export function createDefaultPropagator(): TextMapPropagator {
  return new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
  });
}
