import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createTraceState,
  isValidTraceStateKey,
  isValidTraceStateValue,
  parseTraceState,
  truncateTraceState,
} from './trace-state';

// Citations name sections of W3C Trace Context Level 2, "Tracestate Header" (spec/20-http_request_header_format.md).
describe('parseTraceState', () => {
  it('reads the examples of "Examples of tracestate HTTP Headers"', () => {
    expect(parseTraceState('rojo=00f067aa0ba902b7')?.get('rojo')).toBe('00f067aa0ba902b7');
    const two = parseTraceState('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    expect(two?.get('congo')).toBe('t61rcWkgMzE');
    expect(two?.serialize()).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
  });

  it('combines several header lines ("tracestate Header Field Values", RFC 7230 §3.2.2)', () => {
    const state = parseTraceState(['a=1', 'b=2,c=3']);
    expect(state?.serialize()).toBe('a=1,b=2,c=3');
  });

  it('ignores optional whitespace around members and accepts empty members ("list")', () => {
    expect(parseTraceState(' a=1 ,\t, b=2\t,')?.serialize()).toBe('a=1,b=2');
    expect(parseTraceState('')?.serialize()).toBe('');
    expect(parseTraceState(' , ')?.serialize()).toBe('');
  });

  it('keeps leading spaces of a value and drops trailing ones ("Value")', () => {
    expect(parseTraceState('a= x y ')?.get('a')).toBe(' x y');
  });

  it('accepts keys of the current grammar, multi-tenant ones included ("Key")', () => {
    expect(parseTraceState('0vendor@tenant_-*/x=1')?.get('0vendor@tenant_-*/x')).toBe('1');
    expect(parseTraceState(`${'z'.repeat(256)}=1`)?.get('z'.repeat(256))).toBe('1');
    expect(parseTraceState(`foo=${'v'.repeat(256)}`)?.get('foo')).toBe('v'.repeat(256));
  });

  it.each([
    ['an uppercase key', 'Foo=1'],
    ['a key starting with a symbol', '_foo=1'],
    ['a key of 257 characters', `${'z'.repeat(257)}=1`],
    ['a value of 257 characters', `foo=${'v'.repeat(257)}`],
    ['a value holding =', 'foo=a=b'],
    ['an empty value', 'foo='],
    ['a member without =', 'foo'],
    ['a tab inside a value', 'foo=a\tb'],
    ['a non-ASCII value', 'foo=é'],
    ['a duplicated key (Combined Header Value)', 'foo=1,bar=2,foo=3'],
    ['one bad member among good ones', 'foo=1,BAR=2,baz=3'],
  ])('discards the whole header for %s', (_name, header) => {
    expect(parseTraceState(header)).toBeUndefined();
  });

  it('allows 32 list-members and discards 33 ("a maximum of 32 list-members")', () => {
    const members = Array.from({ length: 33 }, (_, i) => `k${i}=${i}`);
    expect(parseTraceState(members.slice(0, 32).join(','))?.serialize()).toBe(
      members.slice(0, 32).join(','),
    );
    expect(parseTraceState(members.join(','))).toBeUndefined();
  });

  it('refuses a header longer than its cap without reading it', () => {
    expect(parseTraceState(`a=1${' '.repeat(20_000)}`)).toBeUndefined();
  });

  it('never throws on non-string input', () => {
    expect(parseTraceState(42 as never)).toBeUndefined();
    expect(parseTraceState([1] as never)).toBeUndefined();
  });
});

describe('TraceState', () => {
  it('moves a set key to the front ("Mutating the tracestate Field")', () => {
    const state = parseTraceState('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7')!;
    const next = state.set('rojo', '00f067aa0ba902b7');
    expect(next.serialize()).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    expect(state.serialize()).toBe('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
  });

  it('adds a new key on the left and drops the rightmost beyond 32 members', () => {
    let state = createTraceState();
    for (let i = 0; i < 32; i++) state = state.set(`k${i}`, `${i}`);
    state = state.set('new', 'x');
    const serialized = state.serialize().split(',');
    expect(serialized).toHaveLength(32);
    expect(serialized[0]).toBe('new=x');
    expect(state.get('k0')).toBeUndefined();
    expect(state.get('k31')).toBe('31');
  });

  it('returns the same instance for an invalid key or value', () => {
    const state = createTraceState().set('a', '1');
    expect(state.set('A', '1')).toBe(state);
    expect(state.set('a', 'x,y')).toBe(state);
    expect(state.set('a', '')).toBe(state);
  });

  it('unsets keys, keeping the order of the rest', () => {
    const state = parseTraceState('a=1,b=2,c=3')!;
    expect(state.unset('b').serialize()).toBe('a=1,c=3');
    expect(state.unset('zz')).toBe(state);
  });

  it('validates keys and values by the grammar', () => {
    expect(isValidTraceStateKey('a')).toBe(true);
    expect(isValidTraceStateKey('')).toBe(false);
    expect(isValidTraceStateValue(' a')).toBe(true);
    expect(isValidTraceStateValue('a ')).toBe(false);
  });
});

describe('truncateTraceState ("tracestate Limits")', () => {
  it('removes entries longer than 128 characters first, then from the end', () => {
    const big = `big=${'x'.repeat(200)}`;
    const header = ['a=1', big, 'b=2', 'c=3'].join(',');
    expect(truncateTraceState(header, 20)).toBe('a=1,b=2,c=3');
    expect(truncateTraceState(header, 8)).toBe('a=1,b=2');
    expect(truncateTraceState(header, 2)).toBe('');
    expect(truncateTraceState('a=1', 512)).toBe('a=1');
  });
});

describe('parseTraceState against the grammar (property)', () => {
  // The Level 2 ABNF written out as regular expressions, independently of the scanner: a list of
  // OWS-separated members, each `key "=" value`, empty members allowed, keys unique, at most 32.
  const KEY = /^[a-z0-9][a-z0-9_\-*/@]{0,255}$/;
  const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
  function byGrammar(header: string): Array<[string, string]> | undefined {
    const members: Array<[string, string]> = [];
    for (const part of header.split(',')) {
      const member = part.replace(/^[ \t]+|[ \t]+$/g, '');
      if (member === '') continue;
      const eq = member.indexOf('=');
      const key = member.slice(0, eq);
      const value = member.slice(eq + 1);
      if (eq < 0 || !KEY.test(key) || !VALUE.test(value)) return undefined;
      if (members.some(([seen]) => seen === key)) return undefined;
      members.push([key, value]);
    }
    return members.length > 32 ? undefined : members;
  }

  it('accepts exactly the headers the grammar accepts, with the same members in order', () => {
    const piece = fc.constantFrom(
      'a',
      'b',
      'z9',
      '0',
      '@',
      '_',
      '=',
      ',',
      ' ',
      '\t',
      'A',
      '.',
      '~',
      'é',
    );
    const header = fc.array(piece, { maxLength: 24 }).map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(header, (text) => {
        const expected = byGrammar(text);
        const state = parseTraceState(text);
        if (expected === undefined) {
          expect(state).toBeUndefined();
          return;
        }
        expect(state?.serialize()).toBe(expected.map(([k, v]) => `${k}=${v}`).join(','));
        for (const [key, value] of expected) expect(state?.get(key)).toBe(value);
      }),
      { numRuns: 3000 },
    );
  });
});
