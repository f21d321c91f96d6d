/** What the transport's timers do to a Node process. */
import { expect, it } from 'vitest';
import { defaultTransportHooks } from './otlp-http-transport';

/** Timers keeping the event loop alive (unref'd ones are not listed). */
const liveTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

it('keeps the process alive while it waits to retry: a script awaiting shutdown() does not exit between attempts', async () => {
  const { sleep } = defaultTransportHooks();
  const before = liveTimers();
  const controller = new AbortController();
  const waiting = sleep(60_000, controller.signal);
  expect(liveTimers()).toBe(before + 1);
  controller.abort();
  await waiting;
  expect(liveTimers()).toBe(before);
});
