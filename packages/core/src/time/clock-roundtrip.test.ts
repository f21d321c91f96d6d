import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromTimeInput, toHrTime } from './clock';

describe('clock round trips (property)', () => {
  it('reads back every explicit time to the nanosecond, within a day of now', () => {
    const now = Math.floor(Date.now() / 1000);
    fc.assert(
      fc.property(
        fc.integer({ min: now - 86_400, max: now + 86_400 }),
        fc.integer({ min: 0, max: 999_999_999 }),
        (seconds, nanos) => {
          expect(toHrTime(fromTimeInput([seconds, nanos])!)).toEqual([seconds, nanos]);
          const ms = seconds * 1000 + Math.floor(nanos / 1e6);
          expect(toHrTime(fromTimeInput(ms)!)).toEqual([seconds, Math.floor(nanos / 1e6) * 1e6]);
          expect(toHrTime(fromTimeInput(new Date(ms))!)).toEqual([
            seconds,
            Math.floor(nanos / 1e6) * 1e6,
          ]);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
