import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keepTrace, resolveTailSampling, traceIdRank } from './tail-sampling';

const hex = fc.constantFrom(...'0123456789abcdef');
const traceId = fc.string({ unit: hex, minLength: 32, maxLength: 32 });

describe('tail sampling by ratio', () => {
  it('ranks a trace id by its last 13 hex digits', () => {
    expect(traceIdRank(`${'f'.repeat(19)}0000000000000`)).toBe(0);
    expect(traceIdRank(`${'0'.repeat(19)}fffffffffffff`)).toBe(2 ** 52 - 1);
  });

  it('keeps at a higher ratio every trace it keeps at a lower one, none at 0, all at 1', () => {
    fc.assert(
      fc.property(
        traceId,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (id, a, b) => {
          const [low, high] = a < b ? [a, b] : [b, a];
          const keptLow = keepTrace(resolveTailSampling({ ratio: low })!, id, 0, 0);
          const keptHigh = keepTrace(resolveTailSampling({ ratio: high })!, id, 0, 0);
          if (keptLow) expect(keptHigh).toBe(true);
          expect(keepTrace(resolveTailSampling({ ratio: 0 })!, id, 0, 0)).toBe(false);
          expect(keepTrace(resolveTailSampling({ ratio: 1 })!, id, 0, 0)).toBe(true);
        },
      ),
    );
  });

  it('keeps errors unless told not to, and traces slower than the threshold', () => {
    const id = `${'0'.repeat(19)}fffffffffffff`;
    expect(keepTrace(resolveTailSampling({ ratio: 0 })!, id, 1, 0)).toBe(true);
    expect(keepTrace(resolveTailSampling({ ratio: 0, errors: false })!, id, 1, 0)).toBe(false);
    expect(keepTrace(resolveTailSampling({ ratio: 0, slowerThanMs: 100 })!, id, 0, 100.5)).toBe(
      true,
    );
    expect(keepTrace(resolveTailSampling({ ratio: 0, slowerThanMs: 100 })!, id, 0, 100)).toBe(
      false,
    );
  });
});
