import { describe, expect, it } from 'vitest';
import { DroppedTraceIds } from './dropped-trace-ids';

describe('DroppedTraceIds', () => {
  it('remembers the last `capacity` ids, forgetting the oldest first', () => {
    const dropped = new DroppedTraceIds(3);
    for (const id of ['a', 'b', 'c', 'a']) dropped.add(id);
    expect(dropped.size).toBe(3);
    dropped.add('d');
    expect(['a', 'b', 'c', 'd'].map((id) => dropped.has(id))).toEqual([false, true, true, true]);
    dropped.add('e');
    dropped.add('f');
    dropped.add('g');
    expect(['d', 'e', 'f', 'g'].map((id) => dropped.has(id))).toEqual([false, true, true, true]);
    expect(dropped.size).toBe(3);
  });

  it('allocates for the ids it holds, not for its capacity', () => {
    // A ring allocated up front at this size fails (over V8's largest array) or costs gigabytes.
    const dropped = new DroppedTraceIds(2_000_000_000);
    dropped.add('a');
    dropped.add('b');
    expect(dropped.has('a') && dropped.has('b')).toBe(true);
    expect(dropped.size).toBe(2);
  });
});
