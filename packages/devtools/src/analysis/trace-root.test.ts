import { describe, expect, it } from 'vitest';
import { LOCAL_PARENT, REMOTE_PARENT, span } from '../../test/helpers/analysis-spans';
import type { StoredSpan } from '../model';
import { traceRoot } from './trace-root';

function rootOf(spans: StoredSpan[]): string | undefined {
  const ids = new Set(spans.map((s) => s.spanId));
  const forward = traceRoot(spans, (id) => ids.has(id))?.spanId;
  // The choice does not depend on the order spans arrived in.
  expect(traceRoot([...spans].reverse(), (id) => ids.has(id))?.spanId).toBe(forward);
  return forward;
}

describe('traceRoot', () => {
  it('is the earliest span without a parent id, even when an orphan started before it', () => {
    expect(
      rootOf([
        span({ id: 'orphan', parent: 'gone', start: 0, end: 10, flags: REMOTE_PARENT }),
        span({ id: 'late-root', start: 5, end: 50 }),
        span({ id: 'root', start: 1, end: 50 }),
        span({ id: 'child', parent: 'root', start: 2, end: 3 }),
      ]),
    ).toBe('root');
  });

  it('is the earliest span whose parent is not in the trace while no span lacks a parent', () => {
    // A request arriving with a traceparent from a browser: its parent never reaches devtools.
    expect(
      rootOf([
        span({ id: 'server', parent: 'browser', start: 10, end: 50 }),
        span({ id: 'query', parent: 'server', start: 5, end: 20 }),
        span({ id: 'late-orphan', parent: 'gone', start: 30, end: 40 }),
      ]),
    ).toBe('server');
  });

  it('prefers an orphan whose parent its sender flagged as remote to an earlier one with a local parent', () => {
    const spans = [
      // the child of a local parent still running (not exported yet)
      span({ id: 'waiting', parent: 'running', start: 0, end: 5, flags: LOCAL_PARENT }),
      span({ id: 'entry', parent: 'browser', start: 2, end: 50, flags: REMOTE_PARENT }),
      span({ id: 'unknown', parent: 'elsewhere', start: 1, end: 5 }),
    ];
    expect(rootOf(spans)).toBe('entry');
    expect(rootOf(spans.filter((s) => s.spanId !== 'entry'))).toBe('waiting');
  });

  it('breaks a tie in start time by span id', () => {
    expect(
      rootOf([
        span({ id: 'b', parent: 'x', start: 0, end: 1 }),
        span({ id: 'a', parent: 'y', start: 0, end: 1 }),
      ]),
    ).toBe('a');
  });

  it('is none without spans, or when every parent is in the trace (a parent cycle)', () => {
    expect(rootOf([])).toBeUndefined();
    expect(
      rootOf([
        span({ id: 'a', parent: 'b', start: 0, end: 1 }),
        span({ id: 'b', parent: 'a', start: 0, end: 1 }),
        span({ id: 'self', parent: 'self', start: 0, end: 1 }),
      ]),
    ).toBeUndefined();
  });
});
