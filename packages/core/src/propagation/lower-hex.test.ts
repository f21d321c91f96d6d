import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HEX_INVALID, HEX_NONZERO, HEX_ZERO, isLowerHexAt, scanLowerHex } from './lower-hex';

const isLowerHex = (s: string) => /^[0-9a-f]*$/.test(s);

describe('lowercase hex scans (property, against a regular expression)', () => {
  it('accept exactly lowercase hex digits, and tell all-zero ids apart', () => {
    const text = fc.oneof(
      fc.stringMatching(/^[0-9a-f]{1,40}$/),
      fc.string({ minLength: 1, maxLength: 40 }),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
      fc.constantFrom('0000', 'G000', '000/', '000:', '000`', '000g', 'ABCD'),
    );
    fc.assert(
      fc.property(text, (s) => {
        const expected = !isLowerHex(s) ? HEX_INVALID : /^0+$/.test(s) ? HEX_ZERO : HEX_NONZERO;
        expect(scanLowerHex(`-${s}-`, 1, s.length)).toBe(expected);
        expect(isLowerHexAt(`-${s}-`, 1, s.length)).toBe(isLowerHex(s));
      }),
      { numRuns: 2000 },
    );
  });
});
