import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hrTimeNanos, JsonWriter } from './json-writer';

const utf8 = new TextEncoder();
const text = new TextDecoder();

/** `s` with each lone surrogate replaced by U+FFFD (String.prototype.toWellFormed). */
const wellFormed = (s: string) =>
  s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

function written(write: (w: JsonWriter) => void): Uint8Array {
  const w = new JsonWriter(8);
  write(w);
  return w._finish();
}

describe('JsonWriter', () => {
  it('writes string literals byte for byte as TextEncoder(JSON.stringify(wellFormed(s))) (property)', () => {
    const anyString = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)) }),
      fc.string({
        unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((c) => String.fromCharCode(c)),
      }),
    );
    fc.assert(
      fc.property(anyString, (s) => {
        // Plain arrays: in the edge VM, TextEncoder's Uint8Array is another realm's.
        expect(Array.from(written((w) => w._string(s)))).toEqual(
          Array.from(utf8.encode(JSON.stringify(wellFormed(s)))),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('escapes every control character, quote and backslash; a lone surrogate becomes U+FFFD', () => {
    let all = '"\\\ud800x\udc00\udbff\ud83d\ude00';
    for (let c = 0; c < 0x20; c++) all += String.fromCharCode(c);
    const json = text.decode(written((w) => w._string(all)));
    expect(json).toBe(JSON.stringify(wellFormed(all)));
    // valid UTF-8 with no surrogate escape, which a protobuf JSON parser (protojson) rejects
    expect(json).not.toMatch(/\\ud[89a-f]/i);
    expect(JSON.parse(json).slice(0, 8)).toBe('"\\\ufffdx\ufffd\ufffd\ud83d\ude00');
  });

  it('writes non-negative safe integers as decimal digits', () => {
    for (const n of [0, 7, 9, 10, 99, 100, 0x7fffffff, 0x80000000, 1e15, 2 ** 53 - 1]) {
      expect(text.decode(written((w) => w._uint(n)))).toBe(`${n}`);
    }
  });

  it('writes HrTimes as quoted nanoseconds without rounding (property)', () => {
    const time = fc.tuple(
      fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 ** 37 })),
      fc.integer({ min: 0, max: 999_999_999 }),
    );
    fc.assert(
      fc.property(time, ([s, n]) => {
        const expected = s === 0 ? `${n}` : (BigInt(s) * 1_000_000_000n + BigInt(n)).toString();
        expect(text.decode(written((w) => w._hrTime(s, n)))).toBe(`"${expected}"`);
        expect(hrTimeNanos(s, n)).toBe(expected);
      }),
    );
  });

  it('grows its buffer and keeps what was written', () => {
    const long = 'ü'.repeat(5000);
    const bytes = written((w) => {
      w._raw('[');
      w._string(long);
      w._raw(',');
      w._uint(12345);
      w._raw(']');
    });
    expect(JSON.parse(text.decode(bytes))).toEqual([long, 12345]);
  });
});
