import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTestProvider } from '../../test/helpers/test-provider';
import { isAttributeValue, truncateString } from './attribute-value';

/** An independent statement of the specification's rule, to check the implementation against. */
function modelIsValid(value: unknown): boolean {
  const primitive = (v: unknown) => ['string', 'number', 'boolean'].includes(typeof v);
  if (primitive(value)) return true;
  if (!Array.isArray(value)) return false;
  const types = new Set(value.filter((v) => v !== null && v !== undefined).map((v) => typeof v));
  return types.size <= 1 && value.every((v) => v === null || v === undefined || primitive(v));
}

const anyValue = fc.oneof(
  fc.string(),
  fc.double(),
  fc.boolean(),
  fc.constantFrom(null, undefined),
  fc.object(),
  fc.array(fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constantFrom(null, undefined))),
  fc.array(fc.array(fc.integer()), { minLength: 1 }),
);

describe('attribute validation (property)', () => {
  it('accepts exactly primitives and homogeneous primitive arrays', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        expect(isAttributeValue(value)).toBe(modelIsValid(value));
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
