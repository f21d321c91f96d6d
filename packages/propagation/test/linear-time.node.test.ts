/**
 * Hostile headers cost time linear in their size at worst: lengths are capped before parsing and
 * every scan is a single pass. Each case compares 1 MiB with 64 KiB, a 16× larger input (see
 * scripts/time-ratio.ts): linear work may take up to 16× as long, quadratic work 256×; the test
 * fails above 48×.
 */
import { ROOT_CONTEXT, type TextMapPropagator } from '@opentelemetry/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fill, timeRatio } from '../../../scripts/time-ratio';
import {
  B3Propagator,
  objectGetter,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '../src/index';

const SMALL = 64 * 1024;
const LARGE = 1024 * 1024;
const TP = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const ratio = (makeRun: (size: number) => () => void) => timeRatio(makeRun, SMALL, LARGE);

const w3c = new W3CTraceContextPropagator();
const baggage = new W3CBaggagePropagator();
const b3 = new B3Propagator();

const CASES: Array<[string, TextMapPropagator, (size: number) => Record<string, unknown>]> = [
  ['traceparent of spaces', w3c, (n) => ({ traceparent: fill(' ', n) + TP })],
  ['traceparent of dashes', w3c, (n) => ({ traceparent: fill('-', n) })],
  ['tracestate of members', w3c, (n) => ({ traceparent: TP, tracestate: fill('a=1,', n) })],
  ['tracestate of commas', w3c, (n) => ({ traceparent: TP, tracestate: fill(',', n) })],
  ['tracestate of equals', w3c, (n) => ({ traceparent: TP, tracestate: fill('=', n) })],
  [
    'tracestate as many lines',
    w3c,
    (n) => ({ traceparent: TP, tracestate: new Array(n / 4).fill('a=1') }),
  ],
  ['baggage of members', baggage, (n) => ({ baggage: fill('k=v,', n) })],
  ['baggage of properties', baggage, (n) => ({ baggage: `k=v${fill(';p', n)}` })],
  ['baggage of percent signs', baggage, (n) => ({ baggage: `k=${fill('%E2', n)}` })],
  ['baggage of spaces', baggage, (n) => ({ baggage: fill(' ', n) })],
  ['baggage as many lines', baggage, (n) => ({ baggage: new Array(n / 4).fill('k=v') })],
  ['b3 of hex', b3, (n) => ({ b3: fill('0123456789abcdef', n) })],
  ['b3 multi of hex', b3, (n) => ({ 'x-b3-traceid': fill('a', n), 'x-b3-spanid': fill('b', n) })],
];

describe('extract time on megabyte headers', () => {
  it.each(CASES)('stays linear for %s', (_name, propagator, headers) => {
    const { ratio: r, largeMs } = ratio((size) => {
      const carrier = headers(size);
      return () => propagator.extract(ROOT_CONTEXT, carrier, objectGetter);
    });
    expect(r).toBeLessThan(48);
    // A generous absolute ceiling: one extract of a 1 MiB header well under 50 ms.
    expect(largeMs).toBeLessThan(50);
  });
});

const HEADER_CHARS = [' ', '\t', ',', ';', '=', '-', '%', '0', 'a', 'f', 'A', 'k', '@', '\u00e9'];
const NAMES = ['traceparent', 'tracestate', 'baggage', 'b3', 'x-b3-traceid', 'x-b3-spanid'];

describe('property: extract time stays linear', () => {
  it('for any short pattern repeated to a megabyte, in any header', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...HEADER_CHARS), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(...NAMES),
        (chars, name) => {
          const pattern = chars.join('');
          const propagator = name === 'baggage' ? baggage : name.includes('b3') ? b3 : w3c;
          const { ratio: r } = ratio((size) => {
            const carrier: Record<string, string> = {
              traceparent: TP,
              [name]: fill(pattern, size),
            };
            return () => propagator.extract(ROOT_CONTEXT, carrier, objectGetter);
          });
          expect(r).toBeLessThan(48);
        },
      ),
      { numRuns: 6 },
    );
  });
});
