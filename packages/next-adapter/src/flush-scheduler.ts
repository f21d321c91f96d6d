import { diag, type Span } from '@opentelemetry/api';
import { unrefTimer } from '@spanlite/core';
import { FREEZING_FLUSH_INTERVAL_MILLIS } from './flush-interval';
import { abortSignalOf, hasAborted } from './web-classes';

interface Waiter {
  readonly root: Span;
  /**
   * `performance.now()` milliseconds. Not `Date.now()`: while Next.js prerenders a route (with
   * `cacheComponents`, at build time and when it regenerates one), a read of the wall clock in
   * the route's async context counts as the route's own IO and aborts the prerender.
   */
  readonly deadline: number;
  /** The request's: aborted, its client has gone, and Next.js may never end its request span. */
  readonly signal: AbortSignal | undefined;
  readonly resolve: () => void;
}

/**
 * `performance`, read once: in Next.js's edge sandbox each read of a global goes through the
 * context's interceptor (117 ns a `performance.now()` call in the edge runtime's VM, 41 ns through
 * this), and a request reads the clock here once or twice.
 */
const clock = performance;

/** Longest pause between two looks at the local roots still waited for. */
const MAX_POLL_MILLIS = 50;

/** How long past its time the poll's timer is taken for one that will never fire. */
const STALLED_MILLIS = 1000;

/** How long a request waits for its flush while flushes fail or time out. */
const FAILING_WAIT_MILLIS = 1000;

/**
 * How long a request waits for its flush at most, however it goes. A backend that works answers
 * well within it, even to a cold start's first export across regions; one that is down (the
 * exporter retries, with backoff, for up to its timeout) or hangs would hold the requests of an
 * outage's first second for up to the provider's 30 s, and with them a server's shutdown:
 * Next.js waits for every `waitUntil` promise as it stops, and `next start` took 17–25 s to exit
 * on SIGTERM with a collector that refused or never answered.
 */
const MAX_WAIT_MILLIS = 5000;

/**
 * Calls `done` once `performance.now()` has reached `due`, a tick from now at the soonest. Node.js
 * fires a timer up to about 2 ms early by `performance.now()` (it counts whole milliseconds from
 * its event loop's cached time), and a flush then started within 20 ms of the last (18.4 ms in a
 * test): the timer is armed again for what is left, twice at most, so that fake timers which
 * leave `performance` real still get there.
 */
function untilTime(due: number, done: () => void): void {
  let rearms = 2;
  const check = () => {
    const left = due - clock.now();
    if (left > 0 && rearms-- > 0) setTimeout(check, left);
    else done();
  };
  setTimeout(check, due - clock.now());
}

/** How long the spans that end after their request gather for one flush (see `flushLate`). */
const LATE_GATHER_MILLIS = 20;

/**
 * The flushes after responses. One flush serves all the requests that end within a tick: a
 * forceFlush per request cost ~160 µs each in bench/src/next.bench.mjs (an export per request);
 * joined, it is one export per tick, and one per interval at most (20 ms; 1 s in the edge
 * sandbox of Next.js's own server, see flush-interval.ts). A request joins the flush that
 * has not started yet, so its spans, ended before, are in it.
 *
 * A request whose local root is still open when its handler returns (Next.js ends its request
 * span once the response is sent) waits for that end: the tracker reports every local root server
 * span that ends, and one shared timer, backing off from 1 to 50 ms, looks at the roots still
 * open, which also covers roots that end without reaching the span processors (an error-always
 * segment discarded) and roots that never end (flushed after `waitMillis` anyway). One timer for
 * all the requests in flight replaced a chain of timers and promises per request.
 *
 * While flushes fail, time out or take longer than `failingWaitMillis` (a backend down or
 * hanging: each flush then takes up to the provider's 30 s), one flush runs at a time and a
 * request waits for it `failingWaitMillis` at most. A request kept waiting keeps its memory (the
 * platform holds it until `waitUntil`'s promise settles), and a flush per tick, each waiting
 * 30 s, held every request of the last 30 s. The spans stay queued for the next flush or the
 * batch timer; the first flush that succeeds ends this.
 */
export class FlushScheduler {
  private _next: Promise<unknown> | undefined;
  /** `performance.now()` when `_next`'s timer is due. */
  private _nextDue = 0;
  /** Settles `_next`'s wait at once: for a `_next` replaced, whose requests then join the new. */
  private _wakeNext: (() => void) | undefined;
  private _late: Promise<unknown> | undefined;
  /** `performance.now()` when `_late`'s timer is due. */
  private _lateDue = 0;
  private _running: Promise<unknown> | undefined;
  /** `performance.now()` when the last flush started. */
  private _lastStart = Number.NEGATIVE_INFINITY;
  private _failing = false;
  /**
   * The requests waiting, bounded, for the flush running: released when it settles. A reaction
   * of each on that flush would keep its context, and with it the request, for as long as the
   * flush runs (30 s with a backend that never answers), past its bound.
   */
  private readonly _bounded = new Set<() => void>();
  private _waiting: Waiter[] = [];
  /** The waiters' roots, for `waitedRootEnding`. */
  private _roots = new Set<Span>();
  private _timer: ReturnType<typeof setTimeout> | undefined;
  /** `performance.now()` when the poll's timer is due. */
  private _due = 0;
  private _pollMillis = 1;

  constructor(
    private readonly _flush: () => Promise<unknown>,
    private readonly _waitMillis: number,
    private readonly _failingWaitMillis = FAILING_WAIT_MILLIS,
    private readonly _maxWaitMillis = MAX_WAIT_MILLIS,
    /**
     * The least time from one flush's start to the next's: a flush asked for sooner starts then.
     * A server under load (a long-running `next start`) ended requests in most ticks, and each
     * tick's flush was an export, about 1.4 a request at 120 requests/s with the example app; a
     * request waits up to this long in its `waitUntil` for its flush, never in its response.
     */
    private readonly _intervalMillis = FREEZING_FLUSH_INTERVAL_MILLIS,
  ) {}

  /**
   * A flush of every span ended so far: the pending one, or a new one a tick from now (the
   * interval after the last one started, if that is later); while flushes fail, a bounded wait for the one
   * running.
   */
  flushSoon(): Promise<unknown> {
    return this._request() ?? this._waitBounded();
  }

  /**
   * A flush for a span that ends after its request (see flush-late-span.ts), shared by every such
   * span of the next `LATE_GATHER_MILLIS`: work a request leaves running that ends span by span
   * (a thousand unawaited calls settling one by one) costs an export per 20 ms rather than one per
   * span. The wait is spent inside the `waitUntil` the flush is handed to.
   */
  flushLate(): Promise<unknown> {
    const now = clock.now();
    // A timer long overdue never fires: workerd cancels the timers of a request once it ends, and
    // the gathering's may have been armed in a request that had no `waitUntil` to keep it alive.
    // Kept, it would stand for every later late span of the isolate, none of them flushed.
    if (this._late === undefined || now > this._lateDue + STALLED_MILLIS) {
      this._lateDue = now + LATE_GATHER_MILLIS;
      const late: Promise<unknown> = new Promise<void>((resolve) =>
        setTimeout(resolve, LATE_GATHER_MILLIS),
      ).then(() => {
        if (this._late === late) this._late = undefined;
        return this.flushSoon();
      });
      this._late = late;
    }
    return this._late;
  }

  /** Asks for the flush `flushSoon` describes; undefined while flushes fail. */
  private _request(): Promise<unknown> | undefined {
    if (this._failing) {
      if (this._running === undefined) this._start();
      return undefined;
    }
    // A timer long overdue never fires: Next.js's dev server removes the timers of every edge
    // sandbox as it rebuilds after a save (middleware's sandbox, whose code did not change, stays),
    // and workerd cancels those of a request once it ends. Kept, it would stand for every later
    // flush of the copy: none would run (middleware's spans stopped after a save under `next dev`).
    const now = clock.now();
    if (this._next !== undefined && now <= this._nextDue + STALLED_MILLIS) return this._next;
    // A replaced one's requests join the new flush (and one whose timer was only late, behind
    // an event loop blocked for over a second, starts none of its own).
    const replaced = this._wakeNext;
    const due = Math.max(this._lastStart + this._intervalMillis, now);
    this._nextDue = due;
    const next: Promise<unknown> = new Promise<void>((wake) => {
      this._wakeNext = wake;
      untilTime(due, wake);
    }).then(() => {
      if (this._next !== next) return this._next;
      this._next = undefined;
      return this._start();
    });
    this._next = next;
    replaced?.();
    return next;
  }

  /**
   * Runs a flush, noting whether it failed or timed out, or is still running `failingWaitMillis`
   * from now: the first flush of an outage takes the provider's 30 s to time out, and every
   * request meanwhile would start a flush of its own and wait for it. Returns what its requests
   * wait for: its end, `maxWaitMillis` at most (the export carries on without them). Never
   * rejects.
   */
  private _start(): Promise<unknown> {
    this._lastStart = clock.now();
    let release!: (value?: unknown) => void;
    const waited = new Promise<unknown>((resolve) => {
      release = resolve;
    });
    // One timer while the flush is quick: the cap's is armed only once it has turned slow.
    let timer = unrefTimer(() => {
      this._failing = true;
      timer = unrefTimer(release, this._maxWaitMillis - this._failingWaitMillis);
    }, this._failingWaitMillis);
    const settled = (failing: boolean) => {
      clearTimeout(timer);
      release();
      this._failing = failing;
      if (this._running === running) this._running = undefined;
      for (const bounded of this._bounded) bounded();
    };
    const running: Promise<unknown> = Promise.resolve()
      .then(() => this._flush())
      .then(
        (result) => settled(result === 'failure' || result === 'timeout'),
        (error) => {
          settled(true);
          diag.debug('@spanlite/next: flush failed', error);
        },
      );
    this._running = running;
    return waited;
  }

  /** Settles when a flush settles, or `failingWaitMillis` from now, whichever comes first. */
  private _waitBounded(): Promise<unknown> {
    return new Promise<unknown>((resolve) => {
      const release = () => {
        clearTimeout(timer);
        this._bounded.delete(release);
        resolve(undefined);
      };
      const timer = unrefTimer(release, this._failingWaitMillis);
      this._bounded.add(release);
    });
  }

  /**
   * Settles after a flush that follows the end of `root` (or `waitMillis` from now, if it has not
   * ended by then, or once `request` is aborted). Never rejects. A root already ended joins the
   * pending flush.
   *
   * A request whose client went away is not waited for: the platform keeps the request, with its
   * body and response, for as long as its `waitUntil` or `after()` is pending, and under
   * `next start` (Next.js 16.5) requests aborted within 30 ms of being sent had request spans
   * that never ended (1,500 of them held 10 MB for a minute).
   */
  flushAfter(root: Span, request?: unknown): Promise<unknown> {
    if (!root.isRecording()) return this.flushSoon();
    const signal = abortSignalOf(request);
    if (hasAborted(signal)) return this.flushSoon();
    // The flush is joined from the waiting request's own promise, once released: released from
    // another request (whose root ended, or the poll's), a promise handed over from there would
    // settle in that request, and workerd drops what settles in a request that has ended.
    return new Promise<void>((resolve) => {
      const now = clock.now();
      this._waiting.push({ root, deadline: now + this._waitMillis, signal, resolve });
      this._roots.add(root);
      // A timer long overdue never fires: workerd cancels the timers of a request once it ends,
      // and the poll's may have been armed in another request.
      if (this._timer === undefined || now > this._due + STALLED_MILLIS) {
        if (this._timer !== undefined) clearTimeout(this._timer);
        this._pollMillis = 1;
        this._arm();
      }
    }).then(() => this.flushSoon());
  }

  /**
   * A local root span ended: flush, and release whoever waited for it. Returns the flush (none
   * while flushes fail: nobody waits on this one itself, so no bounded wait, a timer, either).
   */
  rootEnded(ending?: Span): Promise<unknown> | undefined {
    const flush = this._request();
    if (this._waiting.length !== 0) this._release(ending);
    return flush;
  }

  /**
   * Polls for the waiters' roots to end. The timer does not hold a Node process open: whatever
   * will end a root keeps the process running itself, and a root nothing will end (a script's
   * span left open) is no reason to wait `waitMillis` before exiting.
   */
  private _arm(): void {
    this._due = clock.now() + this._pollMillis;
    this._timer = unrefTimer(() => {
      this._timer = undefined;
      this._release();
      if (this._waiting.length === 0) return;
      this._pollMillis = Math.min(this._pollMillis * 2, MAX_POLL_MILLIS);
      this._arm();
    }, this._pollMillis);
  }

  /**
   * A span that is no local root server span is ending (asked in onEnding, in the request that
   * ends it): if a request waits for it (middleware's span, which is no server span), flush and
   * release that request now, rather than from another request or the poll's timer, which
   * workerd cancels with the request that armed it.
   */
  waitedRootEnding(span: Span): void {
    if (this._roots.size === 0 || !this._roots.has(span)) return;
    this._request();
    this._release(span);
  }

  /**
   * Hands the pending flush to the waiters whose root has ended (or is `ending`), whose request
   * was aborted, or who waited long enough.
   */
  private _release(ending?: Span): void {
    const now = clock.now();
    const still: Waiter[] = [];
    for (const waiter of this._waiting) {
      if (
        waiter.root !== ending &&
        waiter.root.isRecording() &&
        now < waiter.deadline &&
        !hasAborted(waiter.signal)
      ) {
        still.push(waiter);
      } else waiter.resolve();
    }
    if (still.length !== this._waiting.length) this._roots = new Set(still.map((w) => w.root));
    this._waiting = still;
  }
}
