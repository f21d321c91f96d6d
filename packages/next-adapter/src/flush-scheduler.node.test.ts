/** What the flush scheduler's timers do to a Node process. */
import type { Span } from '@opentelemetry/api';
import { expect, it } from 'vitest';
import { FlushScheduler } from './flush-scheduler';

/** Timers keeping the event loop alive (unref'd ones are not listed). */
const liveTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

it('does not hold the process open while it waits for a root that nothing will end', async () => {
  const scheduler = new FlushScheduler(() => Promise.resolve(), 60_000);
  const openRoot = { isRecording: () => true } as unknown as Span;
  const before = liveTimers();
  void scheduler.flushAfter(openRoot);
  await new Promise((resolve) => setTimeout(resolve, 5)); // a few polls later
  expect(liveTimers()).toBe(before);
});
