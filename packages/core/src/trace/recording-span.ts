import {
  type Attributes,
  type AttributeValue,
  diag,
  type Exception,
  type HrTime,
  type Link,
  type Span,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
  SpanStatusCode,
  type TimeInput,
  type TraceState,
} from '@opentelemetry/api';
import { CHECKED_SPAN } from '../export/checked-span';
import type {
  FinishedLink,
  FinishedSpan,
  InstrumentationScope,
  ResourceLike,
  TimedEvent,
} from '../export/finished-span';
import { randomSpanId } from '../ids/span-id';
import { TraceId } from '../ids/trace-id';
import { isLowerHexAt } from '../propagation/lower-hex';
import {
  exactHrTime,
  fromTimeInput,
  hrTimeDifference,
  now,
  toHrTime,
  wholeHrTime,
} from '../time/clock';
import { INVALID_VALUE, limitAttributes, setOwn, storedValue } from './attribute-value';
import { copySpanContext } from './copy-span-context';
import { exceptionAttributes } from './exception-attributes';
import { NonRecordingSpan } from './non-recording-span';
import { shownName } from './shown-name';
import type { SpanLimits } from './span-limits';
import { toText } from './to-text';

const EMPTY_ATTRIBUTES: Attributes = Object.freeze({}) as Attributes;
const EMPTY: readonly never[] = Object.freeze([]);
/** The list `setAttributes` gathers into; undefined while a call holds it. */
let scratch: unknown[] | undefined;

/** What a span needs from the tracer that made it, resolved once when the tracer is created. */
export interface SpanHost {
  readonly limits: SpanLimits;
  readonly resource: ResourceLike;
  readonly instrumentationScope: InstrumentationScope;
  /** The span processors' `onEnding`, when one has it. */
  readonly onEnding: ((span: RecordingSpan) => void) | undefined;
  /** A span ended: route it to its error segment, or deliver it. */
  spanEnded(span: RecordingSpan): void;
  /** Hand an ended span to the span processors. */
  deliver(span: RecordingSpan): void;
}

/** Segment membership for error-always sampling; see samplers/error-segment.ts. */
export interface SpanSegment {
  spanEnded(span: RecordingSpan): void;
}

/**
 * A span that records. Every field is set in the constructor so all spans share one shape; ids
 * stay numeric and times stay monotonic milliseconds until something reads them (propagation,
 * export), which keeps a span's start and end free of string work.
 */
export class RecordingSpan implements Span, FinishedSpan {
  // Seventeen fields, each set in the constructor: every span has one shape, and what most spans
  // never use (events, links, a status message, caches) waits in `_details`. Fewer fields took
  // a span from about 410 to about 250 heap bytes (bench/, Node 20).
  readonly host: SpanHost;
  name: string;
  readonly kind: SpanKind;
  flags: number;
  readonly traceState: TraceState | undefined;
  /** The parent: a local span, a remote (or foreign) parent's context, or none. */
  readonly parent: RecordingSpan | NonRecordingSpan | SpanContext | undefined;
  readonly startMs: number;
  /**
   * The clock's correction this span's times take (see time/clock.ts): its local root's, so a
   * correction made while the trace is open does not move the rest of it.
   */
  readonly clockShift: number;
  endMs: number;
  ended: boolean;
  segment: SpanSegment | undefined;
  private _traceId: TraceId | undefined;
  /**
   * Attributes as [key, value, key, value, …] while the span is open: one array write per
   * attribute where an object costs a megamorphic keyed store (setOwn and setAttributes were a
   * quarter of a 5-attribute span's time in a CPU profile on Node 20). The object the exporter
   * reads is built once, after end.
   */
  private _attributes: Array<string | AttributeValue> | undefined;
  private _droppedAttributes: number;
  private _statusCode: SpanStatusCode;
  private _spanId: string | undefined;
  private _details: SpanDetails | undefined;

  constructor(
    host: SpanHost,
    name: string,
    kind: SpanKind,
    traceId: TraceId | undefined,
    flags: number,
    traceState: TraceState | undefined,
    parent: RecordingSpan | NonRecordingSpan | SpanContext | undefined,
    startMs: number,
    clockShift: number,
  ) {
    this.host = host;
    this.name = name;
    this.kind = kind;
    this.flags = flags;
    this.traceState = traceState;
    this.parent = parent;
    this.startMs = startMs;
    this.clockShift = clockShift;
    this.endMs = startMs;
    this.ended = false;
    this.segment = undefined;
    this._traceId = traceId;
    this._attributes = undefined;
    this._droppedAttributes = 0;
    this._statusCode = SpanStatusCode.UNSET;
    this._spanId = undefined;
    this._details = undefined;
  }

  /** A new trace's id is made when first needed: by a child, propagation or export. */
  get traceId(): TraceId {
    return (this._traceId ??= TraceId.random());
  }

  get hasException(): boolean {
    return this._details?.hasException ?? false;
  }

  private get _more(): SpanDetails {
    return (this._details ??= new SpanDetails());
  }

  /** Drawn when first read: most spans are read only by the exporter, off the hot path. */
  get spanId(): string {
    return (this._spanId ??= randomSpanId());
  }

  /** Gives the span an IdGenerator's id, before anything read its own (the tracer, at start). */
  _useSpanId(id: string): void {
    this._spanId = id;
  }

  spanContext(): SpanContext {
    const details = this._more;
    return (details.context ??= {
      traceId: this.traceId.hex,
      spanId: this.spanId,
      traceFlags: this.flags,
      traceState: this.traceState,
      isRemote: false,
    });
  }

  setAttribute(key: string, value: AttributeValue): this {
    try {
      if (this.ended) return this._warnEnded('setAttribute');
      // undefined is no value; null is the empty value, which is kept (common/README.md, AnyValue)
      if (value === undefined) return this;
      if (typeof key !== 'string' || key.length === 0) {
        this._warn(`invalid attribute key ${toText(key)}; dropped`);
        return this;
      }
      const limits = this.host.limits;
      const stored = storedValue(value, limits.attributeValueLengthLimit);
      if (stored === INVALID_VALUE) {
        this._warn(`invalid value for attribute "${key}"; dropped`);
        return this;
      }
      let attributes = this._attributes;
      if (attributes === undefined) attributes = this._attributes = [];
      for (let i = 0; i < attributes.length; i += 2) {
        if (attributes[i] === key) {
          attributes[i + 1] = stored as AttributeValue;
          return this;
        }
      }
      if (attributes.length >= limits.attributeCountLimit * 2) {
        this._dropped('attribute');
        this._droppedAttributes++;
        return this;
      }
      attributes.push(key, stored as AttributeValue);
      return this;
    } catch (error) {
      return this._threw('setAttribute', error);
    }
  }

  setAttributes(attributes: Attributes): this {
    try {
      if (attributes === null || typeof attributes !== 'object') return this;
      if (this._attributes !== undefined || this.ended) {
        for (const key in attributes) this.setAttribute(key, attributes[key]!);
        return this;
      }
      // The first attributes (usually the start options'): an object's keys are already distinct,
      // so they are appended without the duplicate scan. They are gathered in a shared scratch
      // list and copied out by `slice`, which allocates their length (and the two slots below): a
      // list grown by push reserves 17 slots for 10 values (the 5-attribute span's heap target has
      // ~10% margin), and `new Array(n)` costs 3–6 µs in the edge runtime's VM, whose `Array`
      // global is a proxy (its arrays are then slow to write: ~25 µs a request in
      // bench/src/next.bench.mjs). The
      // scratch keeps its length (`length = 0` would free its store, garbage on every span) and
      // is cleared by index. Taken and put back, so a re-entrant call (a diag logger that starts
      // spans) gets a list of its own.
      const list = scratch ?? [];
      scratch = undefined;
      const limits = this.host.limits;
      const maxLength = limits.attributeCountLimit * 2;
      const lengthLimit = limits.attributeValueLengthLimit;
      let length = 0;
      for (const key in attributes) {
        const value = attributes[key];
        if (value === undefined) continue;
        const stored = key.length === 0 ? INVALID_VALUE : storedValue(value, lengthLimit);
        if (stored === INVALID_VALUE) {
          this._warn(`invalid attribute "${key}"; dropped`);
          continue;
        }
        if (length >= maxLength) {
          this._dropped('attribute');
          this._droppedAttributes++;
          continue;
        }
        list[length++] = key;
        list[length++] = stored as AttributeValue;
      }
      // Copied with room for one more attribute: shortening an array by two keeps its store, so
      // an attribute set after start (an HTTP span's status code, nearly always) fits without the
      // list regrowing to 2.5× its size (~15 B more a span, ~200 B less for one set later).
      list[length] = undefined;
      list[length + 1] = undefined;
      const own = list.slice(0, length + 2) as Array<string | AttributeValue>;
      own.length = length;
      this._attributes = own;
      for (let i = 0; i < length; i++) list[i] = undefined;
      scratch = list;
      return this;
    } catch (error) {
      return this._threw('setAttributes', error);
    }
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    try {
      if (this.ended) return this._warnEnded('addEvent');
      name = toText(name);
      const limits = this.host.limits;
      if (limits.eventCountLimit === 0) {
        this._dropped('event');
        this._more.droppedEvents++;
        return this;
      }
      let attributes: Attributes | undefined;
      if (isTimeInput(attributesOrTime)) {
        time = attributesOrTime;
      } else {
        attributes = attributesOrTime;
      }
      const limited = limitAttributes(
        attributes,
        limits.attributePerEventCountLimit,
        limits.attributeValueLengthLimit,
        (key) => this._warn(`invalid attribute "${key}" on event "${name}"; dropped`),
      );
      const at = time === undefined ? undefined : fromTimeInput(time, this.clockShift);
      const event: TimedEvent = {
        name,
        time: at === undefined ? toHrTime(this._now()) : (exactHrTime(time!, at) ?? toHrTime(at)),
        attributes: limited.attributes,
        droppedAttributesCount: limited.dropped,
      };
      const details = this._more;
      const events = (details.events ??= []);
      // Past the limit the oldest event goes, as in the reference SDK: the latest (often the
      // exception that ended the span) is the one worth keeping.
      if (events.length >= limits.eventCountLimit) {
        this._dropped('event');
        events.shift();
        details.droppedEvents++;
      }
      events.push(event);
      return this;
    } catch (error) {
      return this._threw('addEvent', error);
    }
  }

  addLink(link: Link): this {
    try {
      if (this.ended) return this._warnEnded('addLink');
      const context = linkContext(link);
      if (context === undefined) {
        this._warn(`invalid link; dropped`);
        return this;
      }
      const limits = this.host.limits;
      const details = this._more;
      const links = (details.links ??= []);
      if (limits.linkCountLimit === 0) {
        this._dropped('link');
        details.droppedLinks++;
        return this;
      }
      // Past the limit the oldest link goes, as with events (and as in the reference SDK).
      if (links.length >= limits.linkCountLimit) {
        this._dropped('link');
        links.shift();
        details.droppedLinks++;
      }
      const limited = limitAttributes(
        link.attributes,
        limits.attributePerLinkCountLimit,
        limits.attributeValueLengthLimit,
        (key) => this._warn(`invalid link attribute "${key}"; dropped`),
      );
      links.push({
        context,
        attributes: limited.attributes,
        droppedAttributesCount: limited.dropped,
      });
      return this;
    } catch (error) {
      return this._threw('addLink', error);
    }
  }

  addLinks(links: Link[]): this {
    try {
      if (!Array.isArray(links)) return this;
      for (const link of links) this.addLink(link);
      return this;
    } catch (error) {
      return this._threw('addLinks', error);
    }
  }

  setStatus(status: SpanStatus): this {
    try {
      if (this.ended) return this._warnEnded('setStatus');
      if (status === null || typeof status !== 'object') return this;
      const code = status.code;
      // The specification: UNSET changes nothing, and OK is final.
      if (code === SpanStatusCode.UNSET || this._statusCode === SpanStatusCode.OK) return this;
      if (code === SpanStatusCode.OK) {
        this._statusCode = code;
        if (this._details !== undefined) this._details.statusMessage = undefined;
      } else if (code === SpanStatusCode.ERROR) {
        this._statusCode = code;
        const message = status.message;
        // "An empty Description is equivalent with a not present one" (Trace API, Set Status)
        if (typeof message === 'string' && message !== '') this._more.statusMessage = message;
        else if (this._details !== undefined) this._details.statusMessage = undefined;
      } else {
        this._warn(`invalid status code ${toText(code)}; ignored`);
      }
      return this;
    } catch (error) {
      return this._threw('setStatus', error);
    }
  }

  updateName(name: string): this {
    try {
      if (this.ended) return this._warnEnded('updateName');
      this.name = toText(name);
      return this;
    } catch (error) {
      return this._threw('updateName', error);
    }
  }

  recordException(exception: Exception, time?: TimeInput): void {
    if (this.ended) {
      this._warnEnded('recordException');
      return;
    }
    const attributes = exceptionAttributes(exception);
    if (attributes === undefined) {
      this._warn(`recordException: no type or message; ignored`);
      return;
    }
    this._more.hasException = true;
    this.addEvent('exception', attributes, time);
  }

  end(endTime?: TimeInput): void {
    if (this.ended || (inOnEnding.length !== 0 && inOnEnding.includes(this))) {
      diag.warn(`span "${shownName(this.name)}" (${this.spanId}): end() called again; ignored`);
      return;
    }
    const given = endTime === undefined ? undefined : fromTimeInput(endTime, this.clockShift);
    if (given === undefined && endTime !== undefined) {
      this._warn(`invalid end time; using now`);
    }
    let endMs = given ?? this._now();
    if (endMs < this.startMs) {
      this._warn(`end before start; duration set to 0`);
      endMs = this.startMs;
      const start = this._details?.startTime;
      if (start !== undefined) this._details!.endTime = start;
    } else if (given !== undefined) {
      this._keepEndTime(endTime!, endMs);
    }
    this.endMs = endMs;
    const onEnding = this.host.onEnding;
    if (onEnding !== undefined) {
      // still changeable by the processors' onEnding; an end() from one of them is a second end
      inOnEnding.push(this);
      try {
        onEnding(this);
      } finally {
        inOnEnding.pop();
      }
    }
    this.ended = true;
    this.host.spanEnded(this);
  }

  isRecording(): boolean {
    return !this.ended;
  }

  /** Now, on this span's line. */
  private _now(): number {
    const monotonic = now();
    // `+ 0` would cost 16 bytes: a new heap number where the reading's own is kept
    return this.clockShift === 0 ? monotonic : monotonic + this.clockShift;
  }

  /** Its fields were checked on the way in: see CHECKED_SPAN. */
  get [CHECKED_SPAN](): true {
    return true;
  }

  // ---- FinishedSpan: read on the export side ----

  get parentSpanContext(): SpanContext | undefined {
    const parent = this.parent;
    if (parent === undefined) return undefined;
    return parent instanceof RecordingSpan || parent instanceof NonRecordingSpan
      ? parent.spanContext()
      : parent;
  }

  get startTime(): HrTime {
    const exact = this._details?.startTime;
    return exact !== undefined ? [exact[0], exact[1]] : toHrTime(this.startMs);
  }

  get endTime(): HrTime {
    const exact = this._details?.endTime;
    return exact !== undefined ? [exact[0], exact[1]] : toHrTime(this.endMs);
  }

  /** `endTime - startTime`, exactly (the milliseconds' difference can be a nanosecond off). */
  get duration(): HrTime {
    const difference = hrTimeDifference(this.startTime, this.endTime);
    return difference[0] < 0 ? [0, 0] : difference;
  }

  /** Keeps the `HrTime` the span was started with when its milliseconds lose it (the tracer). */
  _keepStartTime(input: TimeInput): void {
    const exact = exactHrTime(input, this.startMs);
    if (exact !== undefined) this._more.startTime = exact;
  }

  /**
   * Keeps an `HrTime` end that its milliseconds lose, or any `HrTime` end once the start was kept
   * (both then come back as given); one a rounding put before the start becomes the start.
   */
  private _keepEndTime(input: TimeInput, endMs: number): void {
    const start = this._details?.startTime;
    const exact = start === undefined ? exactHrTime(input, endMs) : wholeHrTime(input);
    if (exact === undefined) return;
    const from = start ?? toHrTime(this.startMs);
    this._more.endTime = hrTimeDifference(from, exact)[0] < 0 ? from : exact;
  }

  get status(): SpanStatus {
    const message = this._details?.statusMessage;
    return message === undefined ? { code: this._statusCode } : { code: this._statusCode, message };
  }

  get statusCode(): SpanStatusCode {
    return this._statusCode;
  }

  get attributes(): Attributes {
    const list = this._attributes;
    if (list === undefined) return EMPTY_ATTRIBUTES;
    const cached = this._details?.attributeObject;
    if (cached !== undefined) return cached;
    const object: Attributes = {};
    for (let i = 0; i < list.length; i += 2) setOwn(object, list[i] as string, list[i + 1]!);
    // Cached once nothing can change it any more.
    if (this.ended) this._more.attributeObject = object;
    return object;
  }

  get links(): readonly FinishedLink[] {
    return this._details?.links ?? EMPTY;
  }

  get events(): readonly TimedEvent[] {
    return this._details?.events ?? EMPTY;
  }

  get resource(): ResourceLike {
    return this.host.resource;
  }

  get instrumentationScope(): InstrumentationScope {
    return this.host.instrumentationScope;
  }

  /**
   * The scope under its 1.x name (spec trace/sdk.md, ReadableSpan: "For backwards compatibility
   * it MUST also be able to access the InstrumentationLibrary"), for exporters written for 1.x.
   */
  get instrumentationLibrary(): InstrumentationScope {
    return this.host.instrumentationScope;
  }

  /** The parent's span id, as 1.x's `ReadableSpan` gave it (exporters written for 1.x read it). */
  get parentSpanId(): string | undefined {
    return this.parentSpanContext?.spanId;
  }

  get droppedAttributesCount(): number {
    return this._droppedAttributes;
  }

  get droppedEventsCount(): number {
    return this._details?.droppedEvents ?? 0;
  }

  get droppedLinksCount(): number {
    return this._details?.droppedLinks ?? 0;
  }

  /** Marks a held-back span as sampled when error-always keeps its segment. */
  markSampled(): void {
    this.flags |= 1;
    if (this._details !== undefined) this._details.context = undefined;
  }

  /** The specification: a message when a limit first discards something on this span. */
  private _dropped(what: string): void {
    if (this._droppedAttributes + this.droppedEventsCount + this.droppedLinksCount === 0) {
      diag.debug(
        `span "${shownName(this.name)}": ${what} limit reached; more are dropped and counted`,
      );
    }
  }

  private _warnEnded(operation: string): this {
    return this._warn(`${operation} after end; ignored`);
  }

  /**
   * Something of the caller's threw when read (a getter, a Proxy): never into user code. What
   * the call had applied before stays; the rest is dropped.
   */
  private _threw(operation: string, error: unknown): this {
    return this._warn(`${operation}: ${toText(error)}; the rest dropped`);
  }

  /** A diagnostic about this span, which it names as diagnostics quote names (see shown-name.ts). */
  private _warn(text: string): this {
    diag.warn(`span "${shownName(this.name)}": ${text}`);
    return this;
  }
}

/**
 * Whether a link's context has ids an exporter can write: 32 and 16 hex digits. All-zero ids are
 * kept (the SDK specification: links with empty ids SHOULD be recorded when they carry attributes
 * or a trace state).
 */
/** A copy of a link's span context, when its ids are ones OTLP can carry. */
function linkContext(link: Link): SpanContext | undefined {
  if (link === null || typeof link !== 'object') return undefined;
  const given = link.context;
  if (given === null || typeof given !== 'object') return undefined;
  const context = copySpanContext(given);
  return isHexOf(context.traceId, 32) && isHexOf(context.spanId, 16) ? context : undefined;
}

function isHexOf(id: unknown, length: number): boolean {
  return (
    typeof id === 'string' && id.length === length && isLowerHexAt(id.toLowerCase(), 0, length)
  );
}

/** What most spans never need, allocated on first use. */
class SpanDetails {
  events: TimedEvent[] | undefined = undefined;
  droppedEvents = 0;
  links: FinishedLink[] | undefined = undefined;
  droppedLinks = 0;
  statusMessage: string | undefined = undefined;
  hasException = false;
  context: SpanContext | undefined = undefined;
  attributeObject: Attributes | undefined = undefined;
  /** A start or end time given as an `HrTime` that milliseconds cannot hold (`exactHrTime`). */
  startTime: HrTime | undefined = undefined;
  endTime: HrTime | undefined = undefined;
}

/**
 * The spans whose processors' `onEnding` is running, innermost last (an `onEnding` may end another
 * span): kept here rather than in a field, so that ending a span allocates nothing.
 */
const inOnEnding: RecordingSpan[] = [];

function isTimeInput(value: unknown): value is TimeInput {
  return (
    typeof value === 'number' ||
    value instanceof Date ||
    (Array.isArray(value) && value.length === 2 && typeof value[0] === 'number')
  );
}
