import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTestProvider } from '../../test/helpers/test-provider';
import { INVALID_VALUE, storedValue, truncateString } from './attribute-value';

/**
 * An independent statement of the specification's AnyValue (common/README.md): primitives, null,
 * byte arrays, arrays of AnyValue (undefined elements kept as empty values), plain objects of
 * AnyValue (undefined members left out); nothing else.
 */
function modelIsValid(value: unknown, seen: unknown[] = []): boolean {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return true;
  if (typeof value !== 'object') return false;
  if (value instanceof Uint8Array) return true;
  if (ArrayBuffer.isView(value) || seen.includes(value)) return false;
  const inner = [...seen, value];
  if (Array.isArray(value)) return value.every((v) => v === undefined || modelIsValid(v, inner));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every((v) => v === undefined || modelIsValid(v, inner));
}

/** The model's copy: undefined members of maps gone, strings and byte arrays cut to `limit`. */
function modelStored(value: unknown, limit: number): unknown {
  if (typeof value === 'string') return [...value].slice(0, limit).join('');
  if (value instanceof Uint8Array) return new Uint8Array(value.subarray(0, limit));
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? v : modelStored(v, limit)));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, modelStored(v, limit)]),
    );
  }
  return value;
}

const leaf = fc.oneof(
  fc.string(),
  fc.double(),
  fc.boolean(),
  fc.constantFrom(null, undefined),
  fc.uint8Array({ maxLength: 8 }),
  fc.constantFrom(new Date(0), new Map(), new Uint16Array(2), 1n, Symbol('s'), () => 1),
);
const anyValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('map')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  map: fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 4 }),
})).value;

describe('attribute values (property; common/README.md, "AnyValue" and "Attribute Limits")', () => {
  it('accepts exactly AnyValue, stored as a copy with strings and byte arrays cut to the limit', () => {
    fc.assert(
      fc.property(anyValue, fc.integer({ min: 0, max: 6 }), (value, limit) => {
        const stored = storedValue(value, limit);
        if (value === undefined || !modelIsValid(value)) {
          // undefined is the caller's to skip; the rest is invalid
          if (value !== undefined) expect(stored).toBe(INVALID_VALUE);
          return;
        }
        expect(stored).toEqual(modelStored(value, limit));
        if (typeof value === 'object' && value !== null) expect(stored).not.toBe(value);
      }),
    );
  });
});

describe('span limits (property)', () => {
  it('keep at most the limit, count every other distinct key as dropped, truncate every string', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 8 }),
        fc.array(
          fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'), fc.string()),
          {
            maxLength: 30,
          },
        ),
        (countLimit, lengthLimit, writes) => {
          const { tracer, spans } = createTestProvider({
            spanLimits: { attributeCountLimit: countLimit, attributeValueLengthLimit: lengthLimit },
          });
          const span = tracer.startSpan('s');
          for (const [key, value] of writes) span.setAttribute(key, value);
          span.end();
          const finished = spans[0]!;
          const kept: string[] = [];
          let dropped = 0;
          for (const [key] of writes) {
            if (kept.includes(key)) continue;
            if (kept.length < countLimit) kept.push(key);
            else dropped++;
          }
          expect(Object.keys(finished.attributes).sort()).toEqual([...kept].sort());
          expect(finished.droppedAttributesCount).toBe(dropped);
          for (const key of kept) {
            const last = writes.filter(([k]) => k === key).at(-1)![1];
            expect(finished.attributes[key]).toBe(last.slice(0, lengthLimit));
          }
        },
      ),
    );
  });

  it('keep at most the event and link limits, counting the rest', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 12 }),
        (limit, count) => {
          const { tracer, spans } = createTestProvider({
            spanLimits: { eventCountLimit: limit, linkCountLimit: limit },
          });
          const span = tracer.startSpan('s');
          for (let i = 0; i < count; i++) {
            span.addEvent(`e${i}`);
            span.addLink({ context: span.spanContext() });
          }
          span.end();
          const finished = spans[0]!;
          const kept = Math.min(limit, count);
          expect(finished.events).toHaveLength(kept);
          expect(finished.links).toHaveLength(kept);
          expect(finished.droppedEventsCount).toBe(count - kept);
          expect(finished.droppedLinksCount).toBe(count - kept);
          if (kept > 0) expect(finished.events.at(-1)!.name).toBe(`e${count - 1}`);
        },
      ),
    );
  });
});

describe('AttributeValueLengthLimit (spec common/README.md "Attribute Limits": "counting any character in it as 1")', () => {
  it('counts a character outside the BMP as 1 and never cuts a surrogate pair', () => {
    const { tracer, spans } = createTestProvider({ spanLimits: { attributeValueLengthLimit: 3 } });
    const span = tracer.startSpan('s', { attributes: { within: 'a😀b', cut: 'ab😀c' } });
    span.setAttribute('pair', 'ab😀');
    span.setAttribute('long', '😀😀😀😀');
    span.setAttribute('array', ['a😀b', 'ab😀c', '😀😀😀😀']);
    span.addEvent('e', { cut: 'ab😀c' });
    span.end();
    expect(spans[0]!.attributes).toEqual({
      within: 'a😀b',
      cut: 'ab😀',
      pair: 'ab😀',
      long: '😀😀😀',
      array: ['a😀b', 'ab😀', '😀😀😀'],
    });
    expect(spans[0]!.events[0]!.attributes).toEqual({ cut: 'ab😀' });
  });

  it('keeps the first `limit` code points of any string, lone surrogates counting as 1 (property)', () => {
    const unit = fc.constantFrom('a', 'é', '😀', '\ud83d', '\ude00', '\u{10ffff}');
    fc.assert(
      fc.property(fc.string({ unit }), fc.integer({ min: 0, max: 12 }), (text, limit) => {
        const expected = [...text].slice(0, limit).join('');
        const stored = text.length > limit ? truncateString(text, limit) : text;
        expect(stored).toBe(expected);
      }),
    );
  });
});
