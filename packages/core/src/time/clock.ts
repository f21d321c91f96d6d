import { diag, type HrTime, type TimeInput } from '@opentelemetry/api';
import { wallClockReader } from '../runtime/edge';

/**
 * Span times are kept as milliseconds on the monotonic clock (`performance.now()`), a plain
 * number, and turned into `[seconds, nanoseconds]` since the epoch only when read for export.
 * The wall-clock anchor is taken once: the epoch time of `performance.now() === 0`, kept as an
 * exact integer pair so that nanoseconds survive (a double of epoch milliseconds cannot hold them).
 *
 * The monotonic clock stops while the machine sleeps (a laptop running `next dev`, a Docker
 * Desktop VM), and a wall clock set or stepped by NTP leaves it behind: from then on, spans would
 * be stamped that far in the past until the process restarts. So the start of a local root span
 * compares the two clocks, at most once a second, and where they have come apart by
 * {@link MAX_DRIFT_MS} or more, traces started from then on follow the wall clock again. A
 * span keeps the line its trace's local root started on ({@link clockShift}): an open request
 * is not moved (a wall clock set back would put its end before its start, its children before
 * it).
 */
interface Anchor {
  /** Epoch seconds and nanoseconds at monotonic time 0. */
  readonly seconds: number;
  readonly nanos: number;
  /** The same instant in epoch milliseconds, for converting wall-clock inputs. */
  readonly epochMs: number;
}

let anchor: Anchor | undefined;

/** Whole milliseconds added to `performance.now()` readings: the corrections made so far. */
let shift = 0;
/** `performance.now()` when the clocks were last compared. */
let checkedAt = 0;
/** Reads `Date.now()` where a prerender does not see it (see runtime/node.ts); undefined: cannot. */
let readWallClock: (() => number | undefined) | undefined;

/** Below NTP's step threshold (128 ms) and well above `Date.now()`'s resolution. */
const MAX_DRIFT_MS = 100;
const CHECK_EVERY_MS = 1000;

function getAnchor(): Anchor {
  if (anchor !== undefined) return anchor;
  // performance.timeOrigin can lag wall time when a process (or a frozen serverless instance)
  // has slept; trust it only while it agrees with Date.now() as closely as the checks ask.
  const perfNow = performance.now();
  const wallNow = Date.now();
  readWallClock = wallClockReader();
  checkedAt = perfNow;
  const origin = typeof performance.timeOrigin === 'number' ? performance.timeOrigin : Number.NaN;
  const epochMs = Math.abs(origin + perfNow - wallNow) < MAX_DRIFT_MS ? origin : wallNow - perfNow;
  const wholeMs = Math.floor(epochMs);
  const subMsNanos = Math.round((epochMs - wholeMs) * 1e6);
  const seconds = Math.floor(wholeMs / 1000);
  let nanos = (wholeMs - seconds * 1000) * 1e6 + subMsNanos;
  let s = seconds;
  if (nanos >= 1e9) {
    s += 1;
    nanos -= 1e9;
  }
  // Wall-clock inputs are converted against these same integers (not `epochMs`, whose double
  // can differ from them by a rounding), so a time given in and read back is the same nanosecond.
  anchor = { seconds: s, nanos, epochMs: s * 1000 + nanos / 1e6 };
  return anchor;
}

/**
 * Takes the wall-clock anchor now, if it has not been taken: a provider does so when it is made.
 * Taken later, with the first span time read, it could be read in a request's async context,
 * where Next.js, while it prerenders a route with `cacheComponents`, counts a read of `Date.now()`
 * as the route's own IO and aborts the prerender.
 */
export function anchorClock(): void {
  getAnchor();
}

/** Monotonic milliseconds: what spans store, with their trace's {@link clockShift}. */
export function now(): number {
  return performance.now();
}

/**
 * The correction a new local root span's trace is timed with (whole milliseconds, added to
 * {@link now}), `monotonic` being a reading of it just taken: first, once a second at most, the
 * wall clock is compared with the monotonic one, and a drift of {@link MAX_DRIFT_MS} or more
 * taken up.
 */
export function clockShift(monotonic: number): number {
  // A clock gone back is a test's fake one (vi.useFakeTimers fakes `performance` too), or its end.
  if (monotonic - checkedAt >= CHECK_EVERY_MS || monotonic < checkedAt) {
    followWallClock(monotonic);
  }
  return shift;
}

function followWallClock(monotonic: number): void {
  checkedAt = monotonic;
  const a = getAnchor();
  const wall = readWallClock?.();
  if (wall === undefined) return;
  const drift = Math.round(wall - (a.epochMs + monotonic + shift));
  if (drift < MAX_DRIFT_MS && drift > -MAX_DRIFT_MS) return;
  shift += drift;
  diag.debug(`@spanlite/core: wall clock ${drift} ms off the monotonic one; followed`);
}

/** Monotonic milliseconds to `[seconds, nanoseconds]` since the epoch. */
export function toHrTime(monotonicMs: number): HrTime {
  const { seconds, nanos } = getAnchor();
  const whole = Math.floor(monotonicMs);
  const wholeSeconds = Math.floor(whole / 1000);
  const addNanos =
    Math.round((monotonicMs - whole) * 1e6) + (whole - wholeSeconds * 1000) * 1e6 + nanos;
  const carry = Math.floor(addNanos / 1e9);
  return [seconds + wholeSeconds + carry, addNanos - carry * 1e9];
}

/** `[seconds, nanoseconds]`, both finite: `[NaN, 0]` or `[Infinity, 0]` is no time. */
function isHrTime(value: unknown): value is HrTime {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    Number.isFinite(value[0]) &&
    Number.isFinite(value[1])
  );
}

/**
 * A user's time (epoch milliseconds, `Date`, `HrTime`, or a `performance.now()` reading, which the
 * API also allows) to monotonic milliseconds; undefined when the input is not a time OTLP can
 * carry (an invalid `Date`, a non-finite number, an `HrTime` with a non-finite part, a time
 * before 1970 or after 2554), which callers replace by now. A reading takes the correction `line`
 * (a span's, for its own times), else the latest. Never throws.
 */
export function fromTimeInput(input: TimeInput, line = shift): number | undefined {
  try {
    const a = getAnchor();
    let ms: number;
    // The API allows both epoch milliseconds and performance.now() readings. A reading is uptime
    // (far below 1e12 ms, 31 years); epoch milliseconds are above 1e12 since 2001. Comparing with
    // the process start instead, as the reference SDK does, mistakes an epoch time from before
    // the process started for a reading.
    if (typeof input === 'number') ms = input < 1e12 ? input + line : fromEpochMs(input, a);
    else if (input instanceof Date) ms = fromEpochMs(input.getTime(), a);
    else if (isHrTime(input)) ms = (input[0] - a.seconds) * 1000 + (input[1] - a.nanos) / 1e6;
    else return undefined;
    // OTLP's times are unsigned 64-bit nanoseconds since the epoch: from 1970 to 2554. NaN (an
    // invalid Date) and overflowing parts are outside too.
    const epochMs = ms + a.epochMs;
    return epochMs >= 0 && epochMs < MAX_EPOCH_MS ? ms : undefined;
  } catch {
    // a Date-like object whose getTime throws, an HrTime whose reads throw
    return undefined;
  }
}

/** The last whole millisecond below 2^64 nanoseconds (a double cannot hold 2^64 ns − 1 exactly). */
const MAX_EPOCH_MS = 18446744073709;

/** Epoch milliseconds to monotonic: whole milliseconds first, exact, then the anchor's fraction. */
function fromEpochMs(ms: number, a: Anchor): number {
  return ms - a.seconds * 1000 - a.nanos / 1e6;
}

/**
 * An `HrTime` input as two safe integers, its nanoseconds carried into seconds when outside
 * [0, 1e9); undefined for other inputs and for an `HrTime` that is not two integers.
 */
export function wholeHrTime(input: TimeInput): HrTime | undefined {
  if (!isHrTime(input)) return undefined;
  let seconds = input[0];
  let nanos = input[1];
  if (!Number.isSafeInteger(seconds) || !Number.isSafeInteger(nanos)) return undefined;
  if (nanos < 0 || nanos >= 1e9) {
    const carry = Math.floor(nanos / 1e9);
    seconds += carry;
    nanos -= carry * 1e9;
  }
  return [seconds, nanos];
}

/**
 * The `HrTime` a user gave ({@link wholeHrTime}), when the monotonic milliseconds `ms` it became
 * do not give it back: a double of milliseconds keeps nanoseconds only within about 100 days of
 * the process start, so an `HrTime` far from now would come back some nanoseconds off
 * (`[1700000000, 500]` as `…504`). Epoch milliseconds and `Date`s carry no more than the double.
 */
export function exactHrTime(input: TimeInput, ms: number): HrTime | undefined {
  const given = wholeHrTime(input);
  if (given === undefined) return undefined;
  const back = toHrTime(ms);
  return back[0] === given[0] && back[1] === given[1] ? undefined : given;
}

/** `end - start` of two `HrTime`s, exact; negative seconds when `end` is before `start`. */
export function hrTimeDifference(start: HrTime, end: HrTime): HrTime {
  let seconds = end[0] - start[0];
  let nanos = end[1] - start[1];
  if (nanos < 0) {
    seconds -= 1;
    nanos += 1e9;
  }
  return [seconds, nanos];
}
