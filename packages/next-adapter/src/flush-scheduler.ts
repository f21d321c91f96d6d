import { diag } from '@opentelemetry/api';

/**
 * One flush for all the requests that end within a tick: a forceFlush per request cost ~160 µs
 * each in bench/src/next.bench.mjs (an export per request); joined, it is one export per tick.
 * A request joins the flush that has not started yet, so its spans, ended before, are in it.
 */
export class FlushScheduler {
  private _next: Promise<void> | undefined;

  constructor(private readonly _flush: () => Promise<void>) {}

  flushSoon(): Promise<void> {
    this._next ??= new Promise<void>((resolve) => setTimeout(resolve, 0))
      .then(() => {
        this._next = undefined;
        return this._flush();
      })
      .catch((error) => diag.debug('@spanlite/next: flush failed', error));
    return this._next;
  }
}
