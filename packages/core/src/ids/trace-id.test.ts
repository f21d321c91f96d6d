import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomSpanId } from './span-id';
import { TraceId } from './trace-id';

describe('trace and span ids', () => {
  it('are lowercase hex of the right length and never all zero', () => {
    for (let i = 0; i < 5000; i++) {
      const traceId = TraceId.random().hex;
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(traceId).not.toBe('0'.repeat(32));
      const spanId = randomSpanId();
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

  it('keep a remote trace id as given and read its 56 random bits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{32}$/), (hex) => {
        const id = TraceId.fromHex(hex);
        expect(id.hex).toBe(hex);
        expect(id.randomHigh * 2 ** 32 + id.randomLow).toBe(Number(BigInt(`0x${hex.slice(18)}`)));
      }),
    );
  });

  it('draw a new trace id once, on first read, and keep it', () => {
    const id = TraceId.random();
    const first = id.hex;
    expect(id.hex).toBe(first);
    expect(id.randomLow).toBe(Number.parseInt(first.slice(24), 16));
  });
});
