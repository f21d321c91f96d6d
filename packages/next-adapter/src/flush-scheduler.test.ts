import type { Span } from '@opentelemetry/api';
import { describe, expect, it, vi } from 'vitest';
import { FlushScheduler } from './flush-scheduler';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A provider's forceFlush that settles when the test says, with the result it says. */
function controlledFlush() {
  const pending: ((result: string) => void)[] = [];
  return {
    pending,
    flush: () => new Promise<unknown>((resolve) => pending.push(resolve)),
  };
}

function settledFlag(promise: Promise<unknown>): () => boolean {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  return () => done;
}

describe('FlushScheduler', () => {
  it('joins the requests that end in one tick into one flush, each waiting for it', async () => {
    const { pending, flush } = controlledFlush();
    const scheduler = new FlushScheduler(flush, 60_000, 20);
    const first = settledFlag(scheduler.flushSoon());
    const second = settledFlag(scheduler.flushSoon());
    await sleep(5);
    expect(pending).toHaveLength(1);
    await sleep(40);
    expect([first(), second()]).toEqual([false, false]);
    pending[0]!('success');
    await sleep(0);
    expect([first(), second()]).toEqual([true, true]);
  });

  it('starts a flush 20 ms after the last one started at the soonest (a server under load ended requests in most ticks)', async () => {
    const started: number[] = [];
    const scheduler = new FlushScheduler(async () => {
      started.push(performance.now());
    }, 60_000);
    await scheduler.flushSoon();
    // the next request ends at once: its flush waits for the interval, not a tick
    await scheduler.flushSoon();
    expect(started).toHaveLength(2);
    expect(started[1]! - started[0]!).toBeGreaterThanOrEqual(19);
  });

  it('starts flushes the interval it was made with apart (1 s in the edge sandbox of Next.js own server)', async () => {
    const started: number[] = [];
    const scheduler = new FlushScheduler(
      async () => {
        started.push(performance.now());
      },
      60_000,
      undefined,
      undefined,
      120,
    );
    await scheduler.flushSoon();
    const second = settledFlag(scheduler.flushSoon());
    await sleep(60);
    expect([started.length, second()]).toEqual([1, false]);
    await sleep(80);
    expect([started.length, second()]).toEqual([2, true]);
    expect(started[1]! - started[0]!).toBeGreaterThanOrEqual(110);
  });

  it('gathers the flushes asked for spans that end after their request for 20 ms into one', async () => {
    const { pending, flush } = controlledFlush();
    const scheduler = new FlushScheduler(flush, 60_000, 1000);
    const first = scheduler.flushLate();
    await sleep(5);
    expect(scheduler.flushLate()).toBe(first);
    expect(pending).toHaveLength(0);
    const done = settledFlag(first);
    await sleep(40);
    expect(pending).toHaveLength(1);
    expect(done()).toBe(false);
    pending[0]!('success');
    await sleep(0);
    expect(done()).toBe(true);
    // the next late span, past the gathering, asks for a flush of its own
    expect(scheduler.flushLate()).not.toBe(first);
  });

  it('replaces a gathering of late spans whose timer never fired (workerd cancels the timers of a request once it ends)', async () => {
    const { pending, flush } = controlledFlush();
    const scheduler = new FlushScheduler(flush, 60_000, 1000);
    // the first late span ends in a request that had no waitUntil to hand the flush to: the
    // request ends, and with it the gathering's timer
    const cancelled = vi.spyOn(globalThis, 'setTimeout').mockImplementationOnce((() => 0) as never);
    const dead = scheduler.flushLate();
    cancelled.mockRestore();
    // a later request's late span, well past the gathering's time, asks for a flush that happens
    const later = vi.spyOn(performance, 'now').mockReturnValue(performance.now() + 2000);
    const next = scheduler.flushLate();
    later.mockRestore();
    expect(next).not.toBe(dead);
    const done = settledFlag(next);
    await sleep(40);
    expect(pending).toHaveLength(1);
    pending[0]!('success');
    await sleep(0);
    expect(done()).toBe(true);
  });

  it('while flushes fail or time out (a dead backend), runs one at a time and holds no request longer than the bound', async () => {
    const { pending, flush } = controlledFlush();
    const scheduler = new FlushScheduler(flush, 60_000, 20);
    const failing = scheduler.flushSoon();
    await sleep(5);
    pending[0]!('timeout');
    await failing;
    // a hung export: this flush never settles, and the requests behind it stop waiting at 20 ms
    const requests = [scheduler.flushSoon(), scheduler.flushSoon(), scheduler.flushSoon()];
    const done = requests.map(settledFlag);
    await sleep(5);
    expect(pending).toHaveLength(2);
    expect(done.map((d) => d())).toEqual([false, false, false]);
    await sleep(40);
    expect(done.map((d) => d())).toEqual([true, true, true]);
    expect(pending).toHaveLength(2);
    // the backend is back: the flush running succeeds, and requests wait for their flush again
    pending[1]!('success');
    await sleep(0);
    const healthy = settledFlag(scheduler.flushSoon());
    await sleep(45);
    expect(pending).toHaveLength(3);
    expect(healthy()).toBe(false);
    pending[2]!('success');
    await sleep(0);
    expect(healthy()).toBe(true);
  });

  it('holds requests back no longer than the bound once a flush runs longer than it (the first flush of an outage)', async () => {
    const { pending, flush } = controlledFlush();
    const scheduler = new FlushScheduler(flush, 60_000, 20);
    const first = settledFlag(scheduler.flushSoon());
    await sleep(40);
    // still running, not failed yet: the requests that end now wait for it 20 ms at most
    const later = [scheduler.flushSoon(), scheduler.flushSoon()].map(settledFlag);
    await sleep(40);
    expect(later.map((done) => done())).toEqual([true, true]);
    expect(first()).toBe(false);
    expect(pending).toHaveLength(1);
    // it succeeds in the end: requests wait for their flush again
    pending[0]!('success');
    await sleep(0);
    const healthy = settledFlag(scheduler.flushSoon());
    await sleep(10);
    expect(pending).toHaveLength(2);
    expect(healthy()).toBe(false);
    pending[1]!('success');
    await sleep(0);
    expect(healthy()).toBe(true);
  });

  it('holds no request longer than the cap on any flush, the first of an outage included (Next.js waits for them all as it stops)', async () => {
    const { pending, flush } = controlledFlush();
    const scheduler = new FlushScheduler(flush, 60_000, 20, 60);
    // a backend that never answers: the flush runs on, its requests stop waiting at 60 ms
    const first = [scheduler.flushSoon(), scheduler.flushSoon()].map(settledFlag);
    await sleep(40);
    expect(first.map((done) => done())).toEqual([false, false]);
    await sleep(50);
    expect(first.map((done) => done())).toEqual([true, true]);
    expect(pending).toHaveLength(1);
    // a flush that settles within the cap releases its requests then, as before
    pending[0]!('success');
    await sleep(0);
    const next = settledFlag(scheduler.flushSoon());
    await sleep(10);
    expect(pending).toHaveLength(2);
    pending[1]!('success');
    await sleep(0);
    expect(next()).toBe(true);
  });

  it('releases the bounded waits as soon as the flush running settles', async () => {
    const { pending, flush } = controlledFlush();
    const scheduler = new FlushScheduler(flush, 60_000, 10_000);
    const failed = scheduler.flushSoon();
    await sleep(5);
    pending[0]!('failure');
    await failed;
    const waits = [scheduler.flushSoon(), scheduler.flushSoon()].map(settledFlag);
    await sleep(5);
    expect(pending).toHaveLength(2);
    expect(waits.map((done) => done())).toEqual([false, false]);
    pending[1]!('success');
    await sleep(0);
    expect(waits.map((done) => done())).toEqual([true, true]);
  });

  it('treats a flush that rejects as failing', async () => {
    let calls = 0;
    const scheduler = new FlushScheduler(
      () => (++calls === 1 ? Promise.reject(new Error('boom')) : new Promise(() => {})),
      60_000,
      20,
    );
    await scheduler.flushSoon();
    const started = Date.now();
    await scheduler.flushSoon();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(calls).toBe(2);
  });

  it('releases a waiter whose root is ending now, still recording (a root error-always discards reaches no onEnd)', async () => {
    const scheduler = new FlushScheduler(() => Promise.resolve('success'), 60_000);
    const root = { isRecording: () => true } as unknown as Span;
    const other = { isRecording: () => true } as unknown as Span;
    const released = settledFlag(scheduler.flushAfter(root));
    const waiting = settledFlag(scheduler.flushAfter(other));
    scheduler.rootEnded(root);
    await sleep(5);
    expect([released(), waiting()]).toEqual([true, false]);
  });

  it('arms the poll again once its timer is long overdue (workerd cancels the timers of a request that has ended)', async () => {
    const realSetTimeout = globalThis.setTimeout;
    const now = vi.spyOn(performance, 'now');
    let clock = 1000;
    now.mockImplementation(() => clock);
    let swallow = true;
    globalThis.setTimeout = ((callback: () => void, ms?: number) =>
      // the first poll's timer, armed in a request that then ended: it never fires
      swallow && ms === 1
        ? realSetTimeout(() => {}, 0)
        : realSetTimeout(callback, ms)) as typeof setTimeout;
    try {
      const scheduler = new FlushScheduler(() => Promise.resolve('success'), 60_000);
      let open = true;
      const root = { isRecording: () => open } as unknown as Span;
      const first = settledFlag(scheduler.flushAfter(root));
      swallow = false;
      open = false; // ended without the scheduler hearing of it
      await sleep(20);
      expect(first()).toBe(false);
      // a later request, past the poll's time by over a second, arms it again
      clock += 2000;
      let laterOpen = true;
      const later = { isRecording: () => laterOpen } as unknown as Span;
      const second = settledFlag(scheduler.flushAfter(later));
      laterOpen = false;
      await sleep(20);
      expect([first(), second()]).toEqual([true, true]);
    } finally {
      globalThis.setTimeout = realSetTimeout;
      now.mockRestore();
    }
  });

  it("asks for a new flush once the pending one's timer is long overdue (next dev removes the edge sandboxes' timers as it rebuilds), which the first one's requests join", async () => {
    const realSetTimeout = globalThis.setTimeout;
    const now = vi.spyOn(performance, 'now');
    let clock = 1000;
    now.mockImplementation(() => clock);
    const held: (() => void)[] = [];
    let hold = false;
    globalThis.setTimeout = ((callback: () => void, ms?: number) => {
      // Next.js's clearModuleContext removes every timer of the sandbox and keeps the sandbox; an
      // event loop blocked for seconds fires a timer that late
      if (!hold) return realSetTimeout(callback, ms);
      held.push(callback);
      return realSetTimeout(() => {}, 0);
    }) as typeof setTimeout;
    try {
      const started: number[] = [];
      const scheduler = new FlushScheduler(
        async () => void started.push(clock),
        60_000,
        undefined,
        undefined,
        1000,
      );
      await scheduler.flushSoon();
      expect(started).toEqual([1000]);
      // the next flush is due 1 s after the last started; its timer is held
      clock = 1100;
      hold = true;
      const first = settledFlag(scheduler.flushSoon());
      hold = false;
      await sleep(20);
      expect(first()).toBe(false);
      // a request past the flush's time by under a second still joins it (an event loop late)
      clock = 2900;
      expect(settledFlag(scheduler.flushSoon())()).toBe(false);
      expect(started).toEqual([1000]);
      // a request over a second past it gets a flush that runs, and the first one's requests
      // are released with it
      clock = 3100;
      const later = settledFlag(scheduler.flushSoon());
      await sleep(20);
      expect([started, later(), first()]).toEqual([[1000, 3100], true, true]);
      // the held timer, fired late, starts no flush of its own
      for (const callback of held) callback();
      await sleep(20);
      expect(started).toEqual([1000, 3100]);
      // and the flushes after it keep their interval
      clock = 3200;
      const following = settledFlag(scheduler.flushSoon());
      await sleep(20);
      expect([following(), started]).toEqual([false, [1000, 3100]]);
    } finally {
      globalThis.setTimeout = realSetTimeout;
      now.mockRestore();
    }
  });

  it('stops waiting for the root of a request its client aborted (Next.js left its request span open, and the request held)', async () => {
    const flushed: number[] = [];
    const scheduler = new FlushScheduler(async () => void flushed.push(1), 60_000);
    const root = { isRecording: () => true } as unknown as Span;
    const client = new AbortController();
    const request = new Request('http://localhost/api/items', { signal: client.signal });
    const waiting = settledFlag(scheduler.flushAfter(root, request));
    const other = settledFlag(scheduler.flushAfter(root, new Request('http://localhost/')));
    await sleep(30);
    expect([waiting(), other(), flushed]).toEqual([false, false, []]);
    client.abort();
    await sleep(80);
    expect([waiting(), other(), flushed]).toEqual([true, false, [1]]);
    // a request aborted already is not waited for at all
    const gone = new AbortController();
    gone.abort();
    const late = settledFlag(
      scheduler.flushAfter(root, new Request('http://localhost/', { signal: gone.signal })),
    );
    await sleep(40);
    expect(late()).toBe(true);
    // a signal that cannot be read from the poll's timer (workerd: another request's object)
    // leaves its request waiting, and the poll going for the others
    let reads = 0;
    const bound = {
      signal: {
        get aborted() {
          if (reads++ > 0) throw new Error('Cannot perform I/O on behalf of a different request');
          return false;
        },
      },
    };
    let open = true;
    const ending = { isRecording: () => open } as unknown as Span;
    const held = settledFlag(scheduler.flushAfter(root, bound));
    const released = settledFlag(scheduler.flushAfter(ending, new Request('http://localhost/')));
    open = false;
    await sleep(40);
    expect([held(), released(), reads > 1]).toEqual([false, true, true]);
    // what is no Request waits as before, and never throws
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('no');
        },
      },
    );
    const odd = settledFlag(scheduler.flushAfter(root, hostile));
    await sleep(20);
    expect(odd()).toBe(false);
  });

  it("releases a waiter as its root ends in onEnding, whatever the root's kind (middleware's span)", async () => {
    const scheduler = new FlushScheduler(() => Promise.resolve('success'), 60_000);
    const root = { isRecording: () => true } as unknown as Span;
    const released = settledFlag(scheduler.flushAfter(root));
    // another span ending changes nothing
    scheduler.waitedRootEnding({ isRecording: () => true } as unknown as Span);
    await sleep(0);
    expect(released()).toBe(false);
    scheduler.waitedRootEnding(root);
    await sleep(5);
    expect(released()).toBe(true);
  });
});
