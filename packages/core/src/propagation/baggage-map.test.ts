import { describe, expect, it } from 'vitest';
import { BaggageMap } from './baggage-map';

describe('BaggageMap', () => {
  it('is immutable: every change returns a new baggage', () => {
    const empty = new BaggageMap(new Map());
    const one = empty.setEntry('a', { value: '1' });
    const two = one.setEntry('__proto__', { value: '2' });
    expect(empty.getAllEntries()).toEqual([]);
    expect(one.getAllEntries()).toEqual([['a', { value: '1' }]]);
    expect(two.getEntry('__proto__')).toEqual({ value: '2' });
    expect(two.removeEntry('a').getAllEntries()).toEqual([['__proto__', { value: '2' }]]);
    expect(two.removeEntry('missing')).toBe(two);
    expect(two.removeEntries('a', '__proto__').getAllEntries()).toEqual([]);
    expect(two.clear().getAllEntries()).toEqual([]);
    expect(two.getAllEntries()).toHaveLength(2);
  });

  it('hands out copies of its entries', () => {
    const baggage = new BaggageMap(new Map([['a', { value: '1' }]]));
    (baggage.getEntry('a') as { value: string }).value = 'changed';
    expect(baggage.getEntry('a')?.value).toBe('1');
  });
});
