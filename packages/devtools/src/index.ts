export type {
  Attributes,
  AttributeValue,
  SpanEvent,
  SpanKindNumber,
  SpanLink,
  StatusCodeNumber,
  StoredSpan,
} from './model';
export { durationOf, isErrorSpan, UNKNOWN_SERVICE } from './model';
