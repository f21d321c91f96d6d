/**
 * A user's test suite with fake timers: vitest's `vi.useFakeTimers()` fakes `performance.now()`
 * (from 0) as well as `Date`. Spans follow the faked clock, and the real one again after.
 * (Node only: the edge VM's test shim has no fake timers.)
 */
import type { HrTime } from '@opentelemetry/api';
import { expect, it, vi } from 'vitest';
import { createTestProvider } from '../../test/helpers/test-provider';

const epochMs = ([seconds, nanos]: HrTime): number => seconds * 1000 + nanos / 1e6;

it("comes back to the real clock after a test's fake timers", () => {
  const { tracer, spans } = createTestProvider();
  vi.useFakeTimers();
  try {
    vi.advanceTimersByTime(3_600_000);
    tracer.startSpan('faked').end();
    expect(Math.abs(epochMs(spans[0]!.startTime) - Date.now())).toBeLessThan(50);
  } finally {
    vi.useRealTimers();
  }
  // the monotonic clock went back from the faked hour: compared again at once
  tracer.startSpan('real').end();
  expect(Math.abs(epochMs(spans[1]!.startTime) - Date.now())).toBeLessThan(50);
});
