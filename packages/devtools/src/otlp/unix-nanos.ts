/**
 * Unix nanoseconds (OTLP's `fixed64` times) to epoch milliseconds, as doubles. A double holds an
 * epoch time in ms to about a quarter of a microsecond; the conversions below round once, at the
 * end, instead of first forming the nanoseconds (which a double holds only to 256 ns).
 */

/** The `fixed64` whose low and high 32-bit halves are given, as epoch milliseconds. */
export function nanosToMillis(low: number, high: number): number {
  // high * 2^32 ns = high * 4294 ms + high * 967296 ns; both products are exact integers.
  return high * 4294 + (high * 967_296 + low) / 1e6;
}

const DIGITS = /^\d+$/;
const UINT64_MAX = '18446744073709551615';

/**
 * A `uint64` time in OTLP/JSON (a decimal string, or a number) as epoch milliseconds: 0 when it is
 * absent, NaN when it is not an integer from 0 to 2^64 − 1.
 */
export function jsonNanosToMillis(value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') {
    // 2^64 is a double exactly; the one below it (2^64 − 2048) is a uint64.
    return Number.isInteger(value) && value >= 0 && value < 2 ** 64 ? value / 1e6 : Number.NaN;
  }
  if (typeof value !== 'string' || !DIGITS.test(value)) return Number.NaN;
  // Decimal strings of one length compare as their numbers do.
  if (value.length > 20 || (value.length === 20 && value > UINT64_MAX)) return Number.NaN;
  if (value.length <= 6) return Number(value) / 1e6;
  const split = value.length - 6;
  return Number(value.slice(0, split)) + Number(value.slice(split)) / 1e6;
}
