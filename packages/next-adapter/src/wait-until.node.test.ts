/** What the wrapper does with what a platform's `waitUntil` returns. */
import { afterEach, expect, it } from 'vitest';
import { setupTracing, type TestTracing } from '../test/setup-tracing';
import { withTracing } from './with-tracing';

let setup: TestTracing | undefined;
afterEach(async () => {
  await setup?.teardown();
  setup = undefined;
});

it('a rejected promise that ctx.waitUntil returns is not left unhandled', async () => {
  setup = setupTracing();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const ctx = {
      async waitUntil(_promise: Promise<unknown>): Promise<void> {
        throw new Error('waitUntil is not available here');
      },
    };
    const handler = withTracing(async (_r: Request, _c: typeof ctx) => new Response('ok'));
    const response = await handler(new Request('http://app.test/a'), ctx);
    expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(unhandled).toEqual([]);
    expect(await setup.spans()).toHaveLength(1);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
