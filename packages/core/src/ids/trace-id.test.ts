import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextSpanIdWords, spanIdLow, spanIdToHex } from './span-id';
import { TraceId } from './trace-id';

describe('trace and span ids', () => {
  it('are lowercase hex of the right length and never all zero', () => {
    for (let i = 0; i < 5000; i++) {
      const traceId = TraceId.random().hex;
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(traceId).not.toBe('0'.repeat(32));
      const high = nextSpanIdWords();
      const spanId = spanIdToHex(high, spanIdLow);
      expect(spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(spanId).not.toBe('0'.repeat(16));
    }
  });

  it('do not repeat across many draws (pool refills included)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(TraceId.random().hex);
    expect(seen.size).toBe(20_000);
  });

  it('use every hex digit in every position (not a biased source)', () => {
    const digitsAt = Array.from({ length: 32 }, () => new Set<string>());
    for (let i = 0; i < 2000; i++) {
      const hex = TraceId.random().hex;
      for (let p = 0; p < 32; p++) digitsAt[p]!.add(hex[p]!);
    }
    for (const digits of digitsAt) expect(digits.size).toBe(16);
  });

  it('round-trip any valid hex trace id through words', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{32}$/), (hex) => {
        const id = TraceId.fromHex(hex);
        const rebuilt = new TraceId(id.w0, id.w1, id.w2, id.w3);
        expect(rebuilt.hex).toBe(hex);
        expect(id.randomHigh).toBe(Number.parseInt(hex.slice(18, 24), 16));
        expect(id.randomLow).toBe(Number.parseInt(hex.slice(24), 16));
      }),
    );
  });
});
