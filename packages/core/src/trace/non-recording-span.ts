import type {
  Attributes,
  AttributeValue,
  Exception,
  Link,
  Span,
  SpanContext,
  SpanStatus,
  TimeInput,
  TraceState,
} from '@opentelemetry/api';
import { randomSpanId } from '../ids/span-id';
import { TraceId } from '../ids/trace-id';

/**
 * A span the sampler dropped: it records nothing but carries a valid context, so the trace id and
 * the not-sampled decision still reach downstream services. Its children that are dropped too
 * reuse this very object (no allocation per dropped span below a dropped local root).
 */
export class NonRecordingSpan implements Span {
  private _context: SpanContext | undefined;

  constructor(
    private _traceId: TraceId | undefined,
    readonly flags: number,
    readonly traceState: TraceState | undefined,
  ) {}

  /** A new trace's id is made when first needed: by a child, propagation or export. */
  get traceId(): TraceId {
    return (this._traceId ??= TraceId.random());
  }

  spanContext(): SpanContext {
    return (this._context ??= {
      traceId: this.traceId.hex,
      spanId: randomSpanId(),
      traceFlags: this.flags,
      traceState: this.traceState,
      isRemote: false,
    });
  }

  /**
   * Gives the span an IdGenerator's id (the tracer, at start; its trace id is then known too).
   * Its context is made now rather than a field added to every dropped span.
   */
  _useSpanId(id: string): void {
    this._context = {
      traceId: this.traceId.hex,
      spanId: id,
      traceFlags: this.flags,
      traceState: this.traceState,
      isRemote: false,
    };
  }

  setAttribute(_key: string, _value: AttributeValue): this {
    return this;
  }
  setAttributes(_attributes: Attributes): this {
    return this;
  }
  addEvent(_name: string, _attributesOrTime?: Attributes | TimeInput, _time?: TimeInput): this {
    return this;
  }
  addLink(_link: Link): this {
    return this;
  }
  addLinks(_links: Link[]): this {
    return this;
  }
  setStatus(_status: SpanStatus): this {
    return this;
  }
  updateName(_name: string): this {
    return this;
  }
  end(_endTime?: TimeInput): void {}
  isRecording(): boolean {
    return false;
  }
  recordException(_exception: Exception, _time?: TimeInput): void {}
}
