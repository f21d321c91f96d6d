import { diag, SpanStatusCode } from '@opentelemetry/api';
import type { RecordingSpan, SpanSegment } from '../trace/recording-span';

export interface ErrorBufferOptions {
  /** Spans held back per local trace segment; more are dropped and counted. Default 512. */
  maxSpansPerSegment?: number | undefined;
  /** Spans held back across all segments; at the cap the oldest segment is evicted. Default 4096. */
  maxBufferedSpans?: number | undefined;
}

export interface ErrorBufferStats {
  /** Spans held back now. */
  readonly bufferedSpans: number;
  /** Spans lost to the per-segment cap or to eviction. */
  readonly droppedSpans: number;
  /** Segments evicted, whole, to stay under the global cap. */
  readonly evictedSegments: number;
  readonly keptSegments: number;
  readonly discardedSegments: number;
}

const PENDING = 0;
const KEPT = 1;
const DISCARDED = 2;

/**
 * The spans of one local trace segment (a local root and its local descendants) that the head
 * sampler dropped, held until the segment's fate is known: kept as soon as one of its spans ends
 * with ERROR status or a recorded exception, or when kept from outside; discarded when the local
 * root ends otherwise. Spans ending after the decision follow it directly.
 */
export class ErrorSegment implements SpanSegment {
  state = PENDING;
  readonly spans: RecordingSpan[] = [];

  constructor(
    private readonly _buffer: SegmentBuffer,
    readonly root: RecordingSpan,
  ) {}

  spanEnded(span: RecordingSpan): void {
    if (this.state === KEPT) {
      deliver(span);
      return;
    }
    if (this.state === DISCARDED) return;
    if (span.statusCode === SpanStatusCode.ERROR || span.hasException) {
      this.keep();
      deliver(span);
      return;
    }
    if (span === this.root) {
      this._buffer.release(this, DISCARDED);
      return;
    }
    this._buffer.hold(this, span);
  }

  /** Keep the whole segment: what is held goes out now, the rest as it ends. */
  keep(): void {
    if (this.state !== PENDING) return;
    const held = this.spans.slice();
    this._buffer.release(this, KEPT);
    for (const span of held) deliver(span);
  }

  get kept(): boolean {
    return this.state === KEPT;
  }
}

function deliver(span: RecordingSpan): void {
  span.markSampled();
  span.host.deliver(span);
}

/** The memory bound of error-always sampling, shared by all segments of one sampler. */
export class SegmentBuffer {
  private readonly _maxPerSegment: number;
  private readonly _maxTotal: number;
  /** Segments holding at least one span, oldest first (a Set keeps insertion order). */
  private readonly _holding = new Set<ErrorSegment>();
  private _buffered = 0;
  private _dropped = 0;
  private _evicted = 0;
  private _kept = 0;
  private _discarded = 0;
  private _warned = false;

  constructor(options: ErrorBufferOptions = {}) {
    this._maxPerSegment = positive(options.maxSpansPerSegment, 512);
    this._maxTotal = positive(options.maxBufferedSpans, 4096);
  }

  hold(segment: ErrorSegment, span: RecordingSpan): void {
    if (segment.spans.length >= this._maxPerSegment) {
      this._drop(1, 'a trace segment reached maxSpansPerSegment');
      return;
    }
    while (this._buffered >= this._maxTotal) {
      const oldest = this._holding.values().next().value as ErrorSegment | undefined;
      if (oldest === undefined || oldest === segment) {
        this._drop(1, 'the error buffer reached maxBufferedSpans');
        return;
      }
      this._evicted++;
      this._drop(oldest.spans.length, 'the error buffer reached maxBufferedSpans');
      this._remove(oldest, DISCARDED);
    }
    segment.spans.push(span);
    this._buffered++;
    this._holding.add(segment);
  }

  /** The segment's fate is decided: its held spans leave the buffer. */
  release(segment: ErrorSegment, state: typeof KEPT | typeof DISCARDED): void {
    this._remove(segment, state);
    if (state === KEPT) this._kept++;
    else this._discarded++;
  }

  private _remove(segment: ErrorSegment, state: number): void {
    segment.state = state;
    this._buffered -= segment.spans.length;
    segment.spans.length = 0;
    this._holding.delete(segment);
  }

  stats(): ErrorBufferStats {
    return {
      bufferedSpans: this._buffered,
      droppedSpans: this._dropped,
      evictedSegments: this._evicted,
      keptSegments: this._kept,
      discardedSegments: this._discarded,
    };
  }

  private _drop(count: number, reason: string): void {
    this._dropped += count;
    if (!this._warned) {
      this._warned = true;
      diag.warn(`error-always sampling: ${reason}; spans are being dropped (counted in stats())`);
    }
  }
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && value >= 1 ? Math.floor(value) : fallback;
}
