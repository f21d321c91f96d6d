import { describe, expect, it } from 'vitest';
import { listHash, parseHash, traceHash } from './routes';

describe('hash routes', () => {
  it('round-trips the list filters', () => {
    const filters = { service: 'check out', status: 'error' as const, minDuration: '12.5' };
    expect(parseHash(listHash(filters))).toEqual({ page: 'list', filters });
    expect(listHash({ service: '', status: '', minDuration: '' })).toBe('#/');
  });

  it('reads a trace page and its selected span', () => {
    const id = 'ab'.repeat(16);
    expect(parseHash(traceHash(id))).toEqual({ page: 'trace', traceId: id, spanId: null });
    expect(parseHash(traceHash(id, 'cd'.repeat(8)))).toEqual({
      page: 'trace',
      traceId: id,
      spanId: 'cd'.repeat(8),
    });
  });

  it('falls back to the unfiltered list for anything else', () => {
    for (const hash of ['', '#', '#/nowhere', '#/?status=bogus']) {
      expect(parseHash(hash)).toEqual({
        page: 'list',
        filters: { service: '', status: '', minDuration: '' },
      });
    }
  });
});
