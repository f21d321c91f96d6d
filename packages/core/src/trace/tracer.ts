import {
  type Tracer as ApiTracer,
  type Attributes,
  type Context,
  diag,
  isSpanContextValid,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  SpanKind,
  type SpanOptions,
  type TraceState,
  trace,
} from '@opentelemetry/api';
import { isContext } from '../context/is-context';
import { LinkedContext, SPAN_KEY } from '../context/linked-context';
import { getSamplingHint } from '../context/sampling-hint';
import { isTracingSuppressed } from '../context/suppress-tracing';
import type { InstrumentationScope, ResourceLike } from '../export/finished-span';
import type { CheckedIdGenerator } from '../ids/id-generator';
import { randomSpanId } from '../ids/span-id';
import { TraceId } from '../ids/trace-id';
import { RemoteSpanContext } from '../propagation/remote-span-context';
import { W3C_RANDOM_FLAG } from '../propagation/trace-parent';
import { decide } from '../samplers/decide';
import { ErrorSegment, type SegmentBuffer } from '../samplers/error-segment';
import { withRandomness } from '../samplers/ot-trace-state';
import {
  ParentKind,
  type Sampler,
  SamplingDecision,
  type SamplingInput,
} from '../samplers/sampler';
import { clockShift, fromTimeInput, now } from '../time/clock';
import { copySpanContext } from './copy-span-context';
import { getInvalidSpan } from './invalid-span';
import { markDebugRoot } from './local-root';
import { NonRecordingSpan } from './non-recording-span';
import { RecordingSpan, type SpanHost } from './recording-span';
import { shownName } from './shown-name';
import type { SpanLimits } from './span-limits';
import { toText } from './to-text';

/** What a tracer shares with its provider, read on every span. */
export interface TracerShared {
  readonly sampler: Sampler;
  readonly errorSegments: SegmentBuffer | undefined;
  readonly limits: SpanLimits;
  readonly resource: ResourceLike;
  /** The ids of new traces and spans, when an IdGenerator was configured. */
  readonly ids: CheckedIdGenerator | undefined;
  /** True once the provider is shut down or when the SDK is disabled. */
  stopped: boolean;
  activeContext(): Context;
  withContext<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg: ThisParameterType<F> | undefined,
    ...args: A
  ): ReturnType<F>;
  onStart(span: RecordingSpan, parentContext: Context): void;
  /** The processors' `onEnding`, or undefined when none has one. */
  readonly onEnding: ((span: RecordingSpan) => void) | undefined;
  onEnd(span: RecordingSpan): void;
}

export class Tracer implements ApiTracer, SpanHost {
  readonly limits: SpanLimits;
  readonly resource: ResourceLike;
  readonly onEnding: ((span: RecordingSpan) => void) | undefined;
  /**
   * One sampling input per tracer, filled in place for each span; taken while a span starts, so
   * a sampler that starts a span of this tracer (an instrumented call in `shouldSample`) gets a
   * new one instead of overwriting the outer span's.
   */
  private readonly _input: SamplingInput;
  /** Spans of this tracer being started (above 1: a sampler started one). */
  private _starting = 0;

  constructor(
    private readonly _shared: TracerShared,
    readonly instrumentationScope: InstrumentationScope,
  ) {
    this.limits = _shared.limits;
    this.resource = _shared.resource;
    this.onEnding = _shared.onEnding;
    this._input = newSamplingInput();
  }

  startSpan(name: string, options?: SpanOptions, context?: Context): Span {
    try {
      return this._startSpan(name, options, context);
    } catch (error) {
      // Something of the caller's threw when read (a getter of the options or their attributes, a
      // context's getValue): never out of startSpan into the code that started the span. The
      // span records nothing, but keeps the parent's trace where the parent can be read.
      diag.warn(
        `startSpan "${shownName(toText(name))}": ${toText(error)}; a non-recording span instead`,
      );
      try {
        const ctx =
          context !== undefined && isContext(context) ? context : this._shared.activeContext();
        return noOpSpan(ctx, undefined);
      } catch {
        return getInvalidSpan();
      }
    }
  }

  private _startSpan(name: string, options?: SpanOptions, context?: Context): Span {
    const shared = this._shared;
    let ctx = context === undefined || !isContext(context) ? shared.activeContext() : context;
    if (shared.stopped) return noOpSpan(ctx, options);
    if (typeof name !== 'string') name = toText(name);
    if (options !== undefined && (options === null || typeof options !== 'object'))
      options = undefined;
    // The root context holds nothing: no suppression, parent or hint to look up (three Map
    // lookups were 17% of a dropped root span's time in a CPU profile, Node 20).
    const isRoot = ctx === ROOT_CONTEXT;
    if (!isRoot && isTracingSuppressed(ctx)) return getInvalidSpan();

    const input = this._starting === 0 ? this._input : newSamplingInput();
    let localParent: RecordingSpan | NonRecordingSpan | undefined;
    let remoteParent: SpanContext | undefined;
    let traceId: TraceId | undefined;
    let parentFlags = 0;
    let decision: SamplingDecision;
    let debugRoot = false;
    let traceState: TraceState | undefined;
    let kind: SpanKind;
    let samplerAttributes: Attributes | undefined;
    // Counted until the input is read back, even past a throw (a getter of the options, say).
    this._starting++;
    try {
      let parent = isRoot ? undefined : (ctx.getValue(SPAN_KEY) as Span | undefined);
      if (parent !== undefined && options?.root) {
        // A root span was asked for: the sampler and the processors' onStart get the context
        // without its span (the specification's OnStart `parentContext`), so a sampler that reads
        // the parent from the context, as the reference SDK's do, sees none either.
        ctx = ctx.deleteValue(SPAN_KEY);
        parent = undefined;
      }
      input.parent = ParentKind.NONE;
      input.parentTraceState = undefined;
      if (parent instanceof RecordingSpan || parent instanceof NonRecordingSpan) {
        localParent = parent;
        traceId = parent.traceId;
        parentFlags = parent.flags;
        input.parent = ParentKind.LOCAL;
        input.parentTraceState = parent.traceState;
      } else if (parent !== undefined) {
        const sc = readSpanContext(parent);
        if (sc !== undefined) {
          remoteParent = sc;
          traceId = TraceId.fromHex(sc.traceId);
          parentFlags = sc.traceFlags;
          input.parent = sc.isRemote ? ParentKind.REMOTE : ParentKind.LOCAL;
          input.parentTraceState = sc.traceState;
        }
      }
      input.traceState = input.parentTraceState;
      input.attributes = undefined;
      input.context = ctx;
      input.name = name;
      input.kind = spanKindOf(options?.kind, name);
      input.spanAttributes = options?.attributes;
      input.links = options?.links;
      if (traceId === undefined) {
        const custom = shared.ids?.traceId();
        // An IdGenerator's ids are not known to be random (W3C Trace Context Level 2, random flag)
        // unless it says so: no random flag, and 56 random bits in the trace state's `rv` for the
        // samplers instead.
        const random = custom === undefined || shared.ids!.random;
        parentFlags = random ? W3C_RANDOM_FLAG : 0;
        input.traceId = custom === undefined ? undefined : TraceId.fromHex(custom);
        if (!random) {
          // the trace state the new trace starts from, which the samplers read
          input.parentTraceState = input.traceState = withRandomness(
            input.parentTraceState,
            randomSpanId().slice(2),
          );
        }
        input.parentSampled = false;
        const hint = isRoot ? undefined : getSamplingHint(ctx);
        if (hint?.debug) {
          decision = SamplingDecision.RECORD_AND_SAMPLED;
          // the trace the request's debug flag goes on with; not one asked to stand apart
          debugRoot = options?.root !== true;
        } else {
          if (hint !== undefined) {
            // A decision that came without a parent (B3 `b3: 1`) counts as a remote parent's.
            input.parent = ParentKind.REMOTE;
            input.parentSampled = hint.sampled;
          }
          decision = decide(shared.sampler, input);
        }
      } else {
        input.traceId = traceId;
        input.parentSampled = (parentFlags & 1) === 1;
        decision = decide(shared.sampler, input);
      }
      // A new trace's id exists only if the sampler asked for it; else spans make it when needed.
      traceId = input.traceId;
      traceState = input.traceState;
      kind = input.kind;
      samplerAttributes = input.attributes;
    } finally {
      this._starting--;
    }
    const randomFlag = parentFlags & W3C_RANDOM_FLAG;

    if (decision === SamplingDecision.NOT_RECORD) {
      // A span of its own even below a dropped local span: the specification ("SDK Span
      // creation") gives every span a new span id whatever the sampling decision. The id is
      // drawn when first read.
      const dropped = new NonRecordingSpan(traceId, randomFlag, traceState);
      if (shared.ids !== undefined) {
        const spanId = shared.ids.spanId();
        if (spanId !== undefined) dropped._useSpanId(spanId);
      }
      return dropped;
    }

    // A trace keeps the clock's correction its local root started with, taken up before a given
    // start is converted: a performance.now() reading given as the start of the root that takes a
    // correction up is on the new line, as its end will be. One reading of the clock (each costs
    // about 45 ns and a heap number in Node), taken only where it is used.
    const line = localParent instanceof RecordingSpan ? localParent.clockShift : undefined;
    const startTime = options?.startTime;
    const reading = startTime === undefined || line === undefined ? now() : 0;
    const shift = line ?? clockShift(reading);
    const startMs = startTime === undefined ? undefined : fromTimeInput(startTime, shift);
    const span = new RecordingSpan(
      this,
      name,
      kind,
      traceId,
      decision === SamplingDecision.RECORD_AND_SAMPLED ? randomFlag | 1 : randomFlag,
      traceState,
      localParent ?? remoteParent,
      // (a child's start time that is no time: read now)
      startMs ?? (shift === 0 ? reading || now() : (reading || now()) + shift),
      shift,
    );
    if (shared.ids !== undefined) {
      const spanId = shared.ids.spanId();
      if (spanId !== undefined) span._useSpanId(spanId);
    }
    // `undefined` first: most spans give no time, and in the edge VM a global read (`Array`) costs
    if (startMs !== undefined) {
      if (Array.isArray(startTime)) span._keepStartTime(startTime);
    } else if (startTime !== undefined) {
      diag.warn(`span "${shownName(name)}": invalid start time; using now`);
    }
    if (debugRoot) markDebugRoot(span);
    if (options !== undefined) {
      if (options.attributes !== undefined) span.setAttributes(options.attributes);
      if (options.links !== undefined) span.addLinks(options.links);
    }
    // The sampler's attributes are added to the span's own (the specification's ShouldSample
    // result), so on a shared key the sampler's value is the one kept.
    if (samplerAttributes !== undefined) span.setAttributes(samplerAttributes);
    if (decision === SamplingDecision.RECORD && shared.errorSegments !== undefined) {
      const parentSegment = localParent instanceof RecordingSpan ? localParent.segment : undefined;
      span.segment = parentSegment ?? new ErrorSegment(shared.errorSegments, span);
    }
    shared.onStart(span, ctx);
    return span;
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    context: Context,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    a?: SpanOptions | F,
    b?: Context | F,
    c?: F,
  ): ReturnType<F> | undefined {
    let options: SpanOptions | undefined;
    let context: Context | undefined;
    let fn: F;
    if (typeof a === 'function') fn = a;
    else if (typeof b === 'function') {
      options = a;
      fn = b;
    } else if (typeof c === 'function') {
      options = a;
      context = b;
      fn = c;
    } else {
      return undefined;
    }
    const shared = this._shared;
    const parentContext =
      context === undefined || !isContext(context) ? shared.activeContext() : context;
    const span = this.startSpan(name, options, parentContext);
    const spanContext = new LinkedContext(parentContext, SPAN_KEY, span, false);
    return shared.withContext(spanContext, fn as (span: Span) => ReturnType<F>, undefined, span);
  }

  spanEnded(span: RecordingSpan): void {
    if (span.segment !== undefined) span.segment.spanEnded(span);
    else this._shared.onEnd(span);
  }

  deliver(span: RecordingSpan): void {
    this._shared.onEnd(span);
  }
}

/**
 * What a no-op tracer (after shutdown, or with the SDK disabled) starts: the specification's API
 * without an SDK, which records nothing but keeps the parent's SpanContext, so a trace that came
 * in still propagates (the parent's context is wrapped, never the parent returned: a few bytes
 * less in the edge bundle than the SHOULD of returning a non-recording parent as it is); without a
 * parent (or when a root was asked for), the span with the invalid, all-zero context.
 */
function noOpSpan(ctx: Context, options: SpanOptions | undefined): Span {
  const parent = options?.root ? undefined : (ctx.getValue(SPAN_KEY) as Span | undefined);
  const sc = parent === undefined ? undefined : readSpanContext(parent);
  return sc === undefined ? getInvalidSpan() : trace.wrapSpanContext(sc);
}

/** A parent span's context when it is valid; ids made lowercase, as this SDK keeps them. */
function readSpanContext(parent: Span): SpanContext | undefined {
  let sc: SpanContext;
  try {
    sc = parent.spanContext();
  } catch {
    return undefined;
  }
  if (sc === undefined || sc === null) return undefined;
  // Extract's own context, ids unchanged since its parser validated them: nothing to re-check
  // (the API's regular expressions were ~2 µs a request in bench/src/next.bench.mjs).
  if (typeof sc === 'object' && RemoteSpanContext.hasOriginalIds(sc)) return sc;
  // a copy of the caller's, which they may change or reuse after the span has ended
  const copy = copySpanContext(sc);
  if (!isSpanContextValid(copy)) return undefined;
  copy.traceId = copy.traceId.toLowerCase();
  copy.spanId = copy.spanId.toLowerCase();
  return copy;
}

function newSamplingInput(): SamplingInput {
  return {
    parent: ParentKind.NONE,
    parentSampled: false,
    traceId: undefined,
    parentTraceState: undefined,
    traceState: undefined,
    attributes: undefined,
    context: ROOT_CONTEXT,
    name: '',
    kind: SpanKind.INTERNAL,
    spanAttributes: undefined,
    links: undefined,
  };
}

/** The kind asked for, or INTERNAL (the default) with a warning when it is none of the five. */
function spanKindOf(kind: SpanKind | undefined, name: string): SpanKind {
  if (kind === undefined) return SpanKind.INTERNAL;
  if (typeof kind === 'number' && kind >>> 0 === kind && kind <= SpanKind.CONSUMER) return kind;
  diag.warn(`span "${shownName(name)}": invalid kind ${toText(kind)}; using INTERNAL`);
  return SpanKind.INTERNAL;
}
