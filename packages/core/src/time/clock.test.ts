import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactHrTime, fromTimeInput, hrTimeDifference, now, toHrTime, wholeHrTime } from './clock';

const hrToNanos = ([s, n]: [number, number]) => BigInt(s) * 1_000_000_000n + BigInt(n);

describe('clock', () => {
  it('reads wall time close to Date.now()', () => {
    const [seconds, nanos] = toHrTime(now());
    const ms = seconds * 1000 + nanos / 1e6;
    expect(Math.abs(ms - Date.now())).toBeLessThan(1000);
  });

  it('gives normalized HrTime (nanoseconds in [0, 1e9)) for any monotonic reading', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e10, noNaN: true }), (ms) => {
        const [s, n] = toHrTime(ms);
        expect(Number.isInteger(s) && Number.isInteger(n)).toBe(true);
        expect(n).toBeGreaterThanOrEqual(0);
        expect(n).toBeLessThan(1e9);
      }),
    );
  });

  it('keeps nanosecond differences between readings', () => {
    const a = hrToNanos(toHrTime(1000));
    const b = hrToNanos(toHrTime(1000.000001));
    expect(b - a).toBe(1n);
  });

  it('is monotonic in its input', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (a, d) => {
          expect(hrToNanos(toHrTime(a + d)) >= hrToNanos(toHrTime(a))).toBe(true);
        },
      ),
    );
  });

  it('takes HrTime, Date and epoch milliseconds back to the same instant', () => {
    // An hour ago: explicit times are near the present, where the monotonic offset keeps nanoseconds.
    const seconds = Math.floor(Date.now() / 1000) - 3600;
    const hr: [number, number] = [seconds, 123_456_789];
    expect(toHrTime(fromTimeInput(hr)!)).toEqual(hr);
    const date = new Date(seconds * 1000 + 123);
    expect(toHrTime(fromTimeInput(date)!)).toEqual([seconds, 123_000_000]);
    expect(toHrTime(fromTimeInput(seconds * 1000 + 123)!)).toEqual([seconds, 123_000_000]);
  });

  it('treats small numbers as performance.now() readings, as the API does', () => {
    const reading = now();
    expect(fromTimeInput(reading)).toBe(reading);
  });

  it('rejects what is not a time', () => {
    expect(fromTimeInput(Number.NaN)).toBeUndefined();
    expect(fromTimeInput(new Date('nope'))).toBeUndefined();
    expect(fromTimeInput('soon' as never)).toBeUndefined();
  });

  it('rejects an HrTime with a part that is not a finite number, as an invalid Date', () => {
    for (const hr of [
      [Number.NaN, 0],
      [0, Number.NaN],
      [Number.POSITIVE_INFINITY, 0],
      [0, Number.NEGATIVE_INFINITY],
      [Number.MAX_VALUE, 0],
      ['1', 0],
    ]) {
      expect(fromTimeInput(hr as never)).toBeUndefined();
    }
    expect(Number.isFinite(fromTimeInput([0, 0]))).toBe(true);
  });

  it('measures durations between HrTimes exactly, borrowing a second for the nanoseconds', () => {
    expect(hrTimeDifference([10, 0], [11, 500_000_001])).toEqual([1, 500_000_001]);
    expect(hrTimeDifference([10, 900_000_000], [12, 100_000_000])).toEqual([1, 200_000_000]);
    expect(hrTimeDifference([5, 5], [5, 5])).toEqual([0, 0]);
    expect(hrTimeDifference([5, 6], [5, 5])[0]).toBeLessThan(0);
  });

  it('keeps an HrTime input that milliseconds lose, as whole seconds and nanoseconds', () => {
    // a double of milliseconds since the process start cannot hold [1700000000, 500] exactly
    const far: [number, number] = [1_700_000_000, 500];
    expect(exactHrTime(far, fromTimeInput(far)!)).toEqual(far);
    const near: [number, number] = [Math.floor(Date.now() / 1000), 500];
    expect(exactHrTime(near, fromTimeInput(near)!)).toBeUndefined();
    expect(exactHrTime(1_700_000_000_000, fromTimeInput(1_700_000_000_000)!)).toBeUndefined();
    expect(wholeHrTime([1, 1_500_000_000])).toEqual([2, 500_000_000]);
    expect(wholeHrTime([1, -1])).toEqual([0, 999_999_999]);
    expect(wholeHrTime([1.5, 0])).toBeUndefined();
    expect(wholeHrTime(new Date())).toBeUndefined();
  });
});
