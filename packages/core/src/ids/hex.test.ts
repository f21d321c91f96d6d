import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wordsToHex } from './hex';

const reference = (word: number) => (word >>> 0).toString(16).padStart(8, '0');

describe('wordsToHex', () => {
  it('is the zero-padded lowercase hex of both words, high first', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (high, low) => {
          expect(wordsToHex(high, low)).toBe(reference(high) + reference(low));
        },
      ),
    );
    expect(wordsToHex(0, 0)).toBe('0000000000000000');
    expect(wordsToHex(0xffffffff, 0x80000000)).toBe('ffffffff80000000');
    expect(wordsToHex(0x12, 0xabcdef)).toBe('0000001200abcdef');
  });
});
