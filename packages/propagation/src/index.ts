export type {
  CompositePropagatorOptions,
  W3CTraceContextPropagatorOptions,
} from '@spanlite/core';
export {
  BAGGAGE_HEADER,
  CompositePropagator,
  createDefaultPropagator,
  createTraceState,
  parseTraceState,
  TRACE_PARENT_HEADER,
  TRACE_STATE_HEADER,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@spanlite/core';
export { isB3Debug, setB3Debug } from './b3-debug-flag';
export type { B3InjectEncoding, B3PropagatorOptions } from './b3-propagator';
export {
  B3_FLAGS_HEADER,
  B3_PARENT_SPAN_ID_HEADER,
  B3_SAMPLED_HEADER,
  B3_SINGLE_HEADER,
  B3_SPAN_ID_HEADER,
  B3_TRACE_ID_HEADER,
  B3Propagator,
} from './b3-propagator';
export type { Carrier } from './carrier';
export { carrierGetter, carrierSetter } from './carrier';
export type { HeadersLike } from './headers-carrier';
export { headersGetter, headersSetter } from './headers-carrier';
export type { HeaderMap } from './map-carrier';
export { mapGetter, mapSetter } from './map-carrier';
export type { HeaderObject } from './object-carrier';
export { objectGetter, objectSetter } from './object-carrier';
export type { ParsedB3 } from './parse-b3';
export { parseB3Multi, parseB3Single } from './parse-b3';
export type { PropagatorName } from './propagator-from-env';
export { propagatorFromEnv, propagatorFromNames } from './propagator-from-env';
