/**
 * Where the async context the clock was anchored in cannot be entered (Cloudflare's workerd, for a
 * provider made in another request), the clocks are not compared: spans keep the monotonic line,
 * nothing throws, and the refusal is met once, not at every check.
 */
import type { HrTime } from '@opentelemetry/api';
import { afterEach, expect, it, vi } from 'vitest';
import { createTestProvider } from '../../test/helpers/test-provider';

const { refusing, refusingAsyncHooks } = await vi.hoisted(
  () => import('../../../../scripts/refusing-async-hooks'),
);
vi.mock('node:async_hooks', refusingAsyncHooks);

const epochMs = ([seconds, nanos]: HrTime): number => seconds * 1000 + nanos / 1e6;

afterEach(() => {
  vi.restoreAllMocks();
  refusing.on = false;
});

it('stays on the monotonic clock where the anchoring context refuses to be entered', () => {
  const { tracer, spans } = createTestProvider();
  refusing.on = true;
  refusing.calls = 0;
  const realNow = Date.now;
  const realMonotonic = performance.now.bind(performance);
  for (const elapsed of [2_000, 4_000]) {
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + elapsed + 3_600_000);
    vi.spyOn(performance, 'now').mockImplementation(() => realMonotonic() + elapsed);
    tracer.startSpan('GET /items').end();
    expect(Math.abs(epochMs(spans.at(-1)!.startTime) - (Date.now() - 3_600_000))).toBeLessThan(50);
  }
  expect(spans).toHaveLength(2);
  expect(refusing.calls).toBe(1);
});
