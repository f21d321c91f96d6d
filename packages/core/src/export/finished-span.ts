import type {
  Attributes,
  HrTime,
  Link,
  SpanContext,
  SpanKind,
  SpanStatus,
} from '@opentelemetry/api';

/** The resource a span was recorded by: who produced the telemetry. */
export interface ResourceLike {
  readonly attributes: Attributes;
  readonly schemaUrl?: string | undefined;
}

/** The library that created a span (the `getTracer(name, version, { schemaUrl, attributes })` arguments). */
export interface InstrumentationScope {
  readonly name: string;
  readonly version?: string;
  readonly schemaUrl?: string | undefined;
  /** The scope's attributes (`getTracer`'s `attributes` option), when it has any. */
  readonly attributes?: Attributes;
}

/** An event of a finished span. */
export interface TimedEvent {
  readonly name: string;
  readonly time: HrTime;
  readonly attributes?: Attributes;
  readonly droppedAttributesCount?: number;
}

/** A link of a finished span; dropped attribute counts are kept for the exporter. */
export interface FinishedLink extends Link {
  readonly droppedAttributesCount?: number;
}

/**
 * What a span processor and an exporter receive once a span has ended. It has the shape of the
 * reference SDK's `ReadableSpan` (2.x), so code written for one reads the other.
 * Ids are lowercase hex, times are `[seconds, nanoseconds]` since the Unix epoch.
 */
export interface FinishedSpan {
  readonly name: string;
  readonly kind: SpanKind;
  spanContext(): SpanContext;
  /**
   * The parent's context, when the span had a parent (local or remote). Optional, as in the
   * reference SDK's `ReadableSpan`; `| undefined` so that, under `exactOptionalPropertyTypes`, a
   * span object written with `parentSpanContext: undefined` (and spanlite's own spans, whose getter
   * returns `SpanContext | undefined`) still is one.
   */
  readonly parentSpanContext?: SpanContext | undefined;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly duration: HrTime;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly links: readonly FinishedLink[];
  readonly events: readonly TimedEvent[];
  readonly ended: boolean;
  readonly resource: ResourceLike;
  readonly instrumentationScope: InstrumentationScope;
  /** `instrumentationScope` under the name 1.x's `ReadableSpan` gave it. */
  readonly instrumentationLibrary?: InstrumentationScope;
  /** `parentSpanContext.spanId`, as 1.x's `ReadableSpan` gave it. */
  readonly parentSpanId?: string | undefined;
  readonly droppedAttributesCount: number;
  readonly droppedEventsCount: number;
  readonly droppedLinksCount: number;
}
