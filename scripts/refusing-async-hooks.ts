/**
 * `node:async_hooks` as Cloudflare's workerd gives it to a request: an AsyncResource made in
 * another request (OpenNext runs register() inside the first one) refuses to be entered, and throws
 * before running anything. Only spanlite's own refuse, and only while `refusing.on`: Node's own
 * machinery (queueMicrotask) uses AsyncResource too. For a test file's
 * `vi.mock('node:async_hooks', refusingAsyncHooks)`.
 */
import type * as AsyncHooks from 'node:async_hooks';

export const refusing = { on: false, calls: 0 };

export async function refusingAsyncHooks(
  importOriginal: () => Promise<typeof AsyncHooks>,
): Promise<typeof AsyncHooks> {
  const actual = await importOriginal();
  class AsyncResource extends actual.AsyncResource {
    readonly #ours: boolean;
    constructor(type: string, options?: ConstructorParameters<typeof actual.AsyncResource>[1]) {
      super(type, options);
      this.#ours = type.startsWith('@spanlite/');
    }
    override runInAsyncScope<This, Result>(
      fn: (this: This, ...args: any[]) => Result,
      thisArg?: This,
      ...args: any[]
    ): Result {
      if (refusing.on && this.#ours) {
        refusing.calls++;
        throw new Error(
          'Cannot call this AsyncLocalStorage bound function outside of the request in which it was created.',
        );
      }
      return super.runInAsyncScope(fn, thisArg, ...args);
    }
  }
  return { ...actual, AsyncResource };
}
