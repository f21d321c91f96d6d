/** What the transport needs of an abort signal: an `AbortSignal` has it, and so has {@link ShutdownSignal}. */
export interface AbortLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * The exporter's shutdown, told to the requests in flight. A plain object, not an
 * `AbortController`: Cloudflare Workers bind an `AbortSignal` to the request during which it was
 * made, and refuse it to every later request ("Cannot perform I/O on behalf of a different
 * request"), while one exporter serves every request of the isolate. Each attempt still aborts its
 * own `fetch` with a controller of its own, made in the current request.
 */
export class ShutdownSignal implements AbortLike {
  aborted = false;
  private readonly _listeners = new Set<() => void>();

  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.aborted) this._listeners.add(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    this._listeners.delete(listener);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    for (const listener of this._listeners) listener();
    this._listeners.clear();
  }
}
