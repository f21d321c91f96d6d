/**
 * The monotonic clock spans are timed with stops while the machine sleeps, and does not follow a
 * wall clock that is set or stepped. Spans must still be stamped with the wall clock's time, as
 * OTLP's `time_unix_nano` ("UNIX Epoch time in nanoseconds") says, not the time before the sleep.
 * (A file of its own: the correction it provokes stays in the clock's module state.)
 */
import { type HrTime, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { afterEach, expect, it, vi } from 'vitest';
import { captureDiag, createTestProvider } from '../../test/helpers/test-provider';

const epochMs = ([seconds, nanos]: HrTime): number => seconds * 1000 + nanos / 1e6;

let ran = 0;
let ahead = 0;
const realNow = Date.now;
const realMonotonic = performance.now.bind(performance);

/**
 * The clocks as after `monotonicMs` more of running (on top of earlier tests': the clock checks
 * once a second of it), the wall clock having moved `wallMs` more than the monotonic one (a sleep
 * the monotonic clock missed, a step; negative: set back).
 */
function advance(monotonicMs: number, wallMs: number): void {
  ran += monotonicMs;
  ahead += wallMs;
  const elapsed = ran;
  const offset = ahead;
  vi.spyOn(Date, 'now').mockImplementation(() => realNow() + elapsed + offset);
  vi.spyOn(performance, 'now').mockImplementation(() => realMonotonic() + elapsed);
}

afterEach(() => {
  vi.restoreAllMocks();
});

it('keeps following the monotonic clock while the wall clock is within 100 ms of it', () => {
  const { tracer, spans } = createTestProvider();
  advance(2000, 60);
  const expected = Date.now() - 60;
  tracer.startSpan('GET /items').end();
  // not moved by the 60 ms: spans of one trace stay on one line for drifts NTP slews away
  expect(Math.abs(epochMs(spans[0]!.startTime) - expected)).toBeLessThan(40);
});

it('stamps spans with the wall clock again after the machine slept for an hour', () => {
  const { tracer, spans } = createTestProvider();
  const before = tracer.startSpan('before sleep');
  before.end();
  advance(2000, 3_600_000);
  const root = tracer.startSpan('GET /items');
  const child = tracer.startSpan('db.query', {}, trace.setSpan(ROOT_CONTEXT, root));
  child.end();
  root.end();
  const wallNow = Date.now();
  const [, childSpan, rootSpan] = spans;
  expect(Math.abs(epochMs(rootSpan!.startTime) - wallNow)).toBeLessThan(50);
  expect(Math.abs(epochMs(childSpan!.startTime) - wallNow)).toBeLessThan(50);
  // the child still inside its parent, and the span ended before the sleep left where it was
  expect(epochMs(childSpan!.startTime)).toBeGreaterThanOrEqual(epochMs(rootSpan!.startTime));
  expect(epochMs(rootSpan!.endTime)).toBeGreaterThanOrEqual(epochMs(childSpan!.endTime));
  expect(wallNow - epochMs(spans[0]!.endTime)).toBeGreaterThan(3_600_000);
  // a performance.now() reading given as a time lands on the corrected line too
  const explicit = tracer.startSpan('explicit', { startTime: performance.now() });
  explicit.end();
  expect(Math.abs(epochMs(spans[3]!.startTime) - Date.now())).toBeLessThan(50);
});

it('leaves a request open across a correction on its own line: the wall clock set back 10 s', () => {
  const { tracer, spans } = createTestProvider();
  const diagnostics = captureDiag();
  advance(2000, 0);
  const a = tracer.startSpan('GET /a');
  const startedA = Date.now();
  advance(2000, -10_000);
  // another request's root takes the correction up
  tracer.startSpan('GET /b').end();
  const child = tracer.startSpan('db.query', {}, trace.setSpan(ROOT_CONTEXT, a));
  // a performance.now() reading given for its end is on its trace's line too
  child.end(performance.now() + 5);
  a.end();
  const [b, childSpan, aSpan] = spans;
  expect(Math.abs(epochMs(b!.startTime) - Date.now())).toBeLessThan(50);
  // A lasted its 2 s, its child inside it, 2 s after its start, as the monotonic clock measured
  expect(Math.abs(epochMs(aSpan!.startTime) - startedA)).toBeLessThan(50);
  expect(epochMs(aSpan!.endTime) - epochMs(aSpan!.startTime)).toBeGreaterThan(1950);
  expect(epochMs(childSpan!.startTime) - epochMs(aSpan!.startTime)).toBeGreaterThan(1950);
  const childMs = epochMs(childSpan!.endTime) - epochMs(childSpan!.startTime);
  expect(childMs).toBeGreaterThan(4);
  expect(childMs).toBeLessThan(50);
  // no "end before start" taken for the user's
  expect(diagnostics.messages.filter((m) => m.level === 'warn')).toEqual([]);
  diagnostics.restore();
});

it('puts a root span given a performance.now() start on the corrected line when its start takes the correction up', () => {
  const { tracer, spans } = createTestProvider();
  advance(2000, 3_600_000);
  // the first root after the sleep, timed by the caller (as instrumentation that measured its
  // start before creating the span does)
  tracer.startSpan('GET /resumed', { startTime: performance.now() }).end();
  const span = spans[0]!;
  expect(Math.abs(epochMs(span.startTime) - Date.now())).toBeLessThan(50);
  // not an hour long: its end is on the same line as its start
  expect(epochMs(span.endTime) - epochMs(span.startTime)).toBeLessThan(50);
});
