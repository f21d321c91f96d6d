/**
 * Conformance of the W3C Baggage propagator, one case per clause. Citations:
 * - "W3C Baggage" is the Candidate Recommendation (w3.org/TR/baggage, baggage/HTTP_HEADER_FORMAT.md),
 *   cited by section ("Definition", "key", "value", "property", "Limits").
 * - "OTel Baggage API" is opentelemetry-specification specification/baggage/api.md, "Propagation".
 */
import {
  type Baggage,
  baggageEntryMetadataFromString,
  type Context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  ROOT_CONTEXT,
} from '@opentelemetry/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBaggageValue, encodeBaggageValue, encodedLength } from './baggage-codec';
import { W3CBaggagePropagator } from './w3c-baggage-propagator';

const propagator = new W3CBaggagePropagator();

function extractFrom(context: Context, header: string | string[]): Baggage | undefined {
  return propagation.getBaggage(
    propagator.extract(context, { baggage: header }, defaultTextMapGetter),
  );
}

function entries(baggage: Baggage | undefined): Record<string, [string, string | undefined]> {
  const out: Record<string, [string, string | undefined]> = {};
  for (const [key, entry] of baggage?.getAllEntries() ?? [])
    out[key] = [entry.value, entry.metadata?.toString()];
  return out;
}

function inject(record: Record<string, { value: string; metadata?: string }>): string | undefined {
  const built: Record<
    string,
    { value: string; metadata?: ReturnType<typeof baggageEntryMetadataFromString> }
  > = {};
  for (const [key, { value, metadata }] of Object.entries(record))
    built[key] =
      metadata === undefined
        ? { value }
        : { value, metadata: baggageEntryMetadataFromString(metadata) };
  const carrier: Record<string, string> = {};
  const context = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage(built));
  propagator.inject(context, carrier, defaultTextMapSetter);
  return carrier.baggage;
}

/** The header injected for `baggage`. */
function injected(baggage: Baggage): string | undefined {
  const carrier: Record<string, string> = {};
  propagator.inject(propagation.setBaggage(ROOT_CONTEXT, baggage), carrier, defaultTextMapSetter);
  return carrier.baggage;
}

/** `count` members `000=0123456789a` … : 15 bytes each, 16 with the comma. */
function fifteenByteMembers(count: number): Record<string, { value: string }> {
  const record: Record<string, { value: string }> = {};
  for (let i = 0; i < count; i++) record[String(i).padStart(3, '0')] = { value: '0123456789a' };
  return record;
}

describe('W3C Baggage "Limits": all list-members are propagated up to 8192 bytes', () => {
  it('injects a single list-member of 8192 bytes whole (no 4096-byte member limit)', () => {
    const value = '0123456789'.repeat(819);
    const header = inject({ a: { value } });
    expect(header).toHaveLength(8192);
    expect(header).toBe(`a=${value}`);
  });

  it('injects 512 list-members that make 8191 bytes, every one (no 180-member limit)', () => {
    const header = inject(fifteenByteMembers(512));
    expect(header).toHaveLength(512 * 16 - 1);
    expect(header!.split(',')).toHaveLength(512);
  });

  it('extracts every list-member of a header of at most 8192 bytes, so that they go on', () => {
    const header = Object.entries(fifteenByteMembers(512))
      .map(([k, { value }]) => `${k}=${value}`)
      .join(',');
    const baggage = extractFrom(ROOT_CONTEXT, header);
    expect(baggage?.getAllEntries()).toHaveLength(512);
    const long = `a=${'x'.repeat(8190)}`;
    expect(extractFrom(ROOT_CONTEXT, long)?.getEntry('a')?.value).toHaveLength(8190);
  });

  it('applies the limit to several baggage headers combined', () => {
    const half = `a=${'x'.repeat(4000)}`;
    const other = `b=${'y'.repeat(4000)}`;
    expect(Object.keys(entries(extractFrom(ROOT_CONTEXT, [half, other])))).toEqual(['a', 'b']);
    const third = `c=${'z'.repeat(400)}`;
    expect(Object.keys(entries(extractFrom(ROOT_CONTEXT, [half, other, third])))).toEqual([
      'a',
      'b',
    ]);
  });

  it('drops whole list-members past 8192 bytes on inject, never part of one', () => {
    const header = inject({
      a: { value: 'x'.repeat(5000) },
      b: { value: 'y'.repeat(5000) },
      c: { value: 'z' },
    });
    expect(header).toBe(`a=${'x'.repeat(5000)},c=z`);
    expect(inject({ huge: { value: 'x'.repeat(8191) } })).toBeUndefined();
  });

  it('passes a 64-member header of 8191 bytes made of baggage-octets on whole, byte for byte', () => {
    // "MUST propagate all list-members … whenever … 64 list-members or less … 8192 bytes or less":
    // a value made of baggage-octets needs no encoding, so it must not grow on the way through.
    const octets = "https://a.example/a:b@c/d?e=f&g=$h#i!j*k'l(m)n[o]p~q^r{s}t|u<v>w`x%C3%A9%20";
    const members: string[] = [];
    for (let i = 0; i < 64; i++) {
      const key = `u${String(i).padStart(2, '0')}`;
      members.push(`${key}=${octets}${'/'.repeat(127 - key.length - 1 - octets.length)}`);
    }
    const header = members.join(',');
    expect(header).toHaveLength(8191);
    const baggage = extractFrom(ROOT_CONTEXT, header);
    expect(baggage?.getAllEntries()).toHaveLength(64);
    const sent = injected(baggage!);
    expect(sent!.split(',').length).toBe(64);
    expect(sent).toBe(header);
  });

  it('counts the bytes that go on, not the optional whitespace around list-members', () => {
    // "baggage-string = list-member 0*179( OWS "," OWS list-member )", "list-member = key OWS "="
    // OWS value *( OWS ";" OWS property )": 64 members that make 8192 bytes when sent, received
    // with optional whitespace that takes the header past 8192, still all go on.
    const members: string[] = [];
    for (let i = 0; i < 64; i++) {
      const key = `k${String(i).padStart(2, '0')}`;
      members.push(
        `${key}=${'v'.repeat(i === 0 ? 123 - key.length : 127 - key.length - 1 - 4)};p=1`,
      );
    }
    const sent = members.join(',');
    expect(sent).toHaveLength(8192);
    const spaced = members.map((m) => m.replace('=', ' = ').replace(';', ' ; ')).join(' ,\t');
    expect(spaced).toHaveLength(8192 + 64 * 4 + 63 * 2);
    const baggage = extractFrom(ROOT_CONTEXT, spaced);
    expect(baggage?.getAllEntries()).toHaveLength(64);
    expect(injected(baggage!)).toBe(sent);
    // One byte more, and the member that does not fit is dropped whole, the others kept.
    const over = Object.keys(entries(extractFrom(ROOT_CONTEXT, `${spaced} , z=1`)));
    expect(over).toHaveLength(64);
    expect(over).not.toContain('z');
  });

  it('counts the length of a value encoded without encoding it', () => {
    const anyUtf16 = fc
      .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 })
      .map((codes) => String.fromCharCode(...codes));
    fc.assert(
      fc.property(fc.oneof(anyUtf16, fc.string({ unit: 'binary' })), (value) => {
        expect(encodedLength(value)).toBe(encodeBaggageValue(value).length);
      }),
      { numRuns: 2000 },
    );
  });

  it('counts a value as inject sends it again, and a replaced member once', () => {
    // `+` is sent as `%2B` (see encodeBaggageValue): 64 members of `+` that fit as received do not
    // fit when sent, and what is read is what goes on
    const plus = Array.from(
      { length: 64 },
      (_, i) => `k${String(i).padStart(2, '0')}=${'+'.repeat(123)}`,
    );
    const read = extractFrom(ROOT_CONTEXT, plus.join(','))!;
    const sent = injected(read)!;
    expect(sent.length).toBeLessThanOrEqual(8192);
    expect(sent.split(',')).toHaveLength(read.getAllEntries().length);
    // a key seen again replaces the earlier member, whose bytes no longer count
    const replaced = entries(
      extractFrom(ROOT_CONTEXT, `a=${'x'.repeat(8100)},a=1,b=${'y'.repeat(100)}`),
    );
    expect(Object.keys(replaced)).toEqual(['a', 'b']);
    expect(replaced.a![0]).toBe('1');
  });

  it('keeps at least 64 list-members round trip', () => {
    const record: Record<string, { value: string }> = {};
    for (let i = 0; i < 64; i++) record[`key${i}`] = { value: 'value' };
    const header = inject(record)!;
    expect(extractFrom(ROOT_CONTEXT, header)?.getAllEntries()).toHaveLength(64);
  });
});

describe('OTel Propagators API "Extract": a header that yields no entries', () => {
  const existing = propagation.setBaggage(
    ROOT_CONTEXT,
    propagation.createBaggage({ stale: { value: '1' } }),
  );

  it.each([
    ['unparsable', 'not baggage'],
    ['present but empty', ''],
    ['only malformed members', 'bad key=1,=2,k="q"'],
  ])('keeps the baggage already in the context when the header is %s', (_name, header) => {
    // "MUST NOT store a new value in the Context, in order to preserve any previously existing
    // valid value" (specification/context/api-propagators.md, Extract)
    expect(propagator.extract(existing, { baggage: header }, defaultTextMapGetter)).toBe(existing);
    expect(entries(extractFrom(existing, header))).toEqual({ stale: ['1', undefined] });
    expect(extractFrom(ROOT_CONTEXT, header)).toBeUndefined();
  });

  it('leaves the context as it is when there is no baggage header', () => {
    const context = propagator.extract(existing, {}, defaultTextMapGetter);
    expect(context).toBe(existing);
  });

  it('replaces the context baggage with the extracted entries', () => {
    expect(entries(extractFrom(existing, 'fresh=2'))).toEqual({ fresh: ['2', undefined] });
  });
});

describe('W3C Baggage "value": percent-decoding as UTF-8', () => {
  it('keeps a leading U+FEFF when a later byte is not UTF-8 (decoded as written, U+FFFD for bad bytes)', () => {
    expect(decodeBaggageValue('%EF%BB%BFa')).toBe('\uFEFFa');
    expect(decodeBaggageValue('%EF%BB%BFa%FF')).toBe('\uFEFFa\uFFFD');
  });

  it('decodes the w3c test suite value "\\t \\"\';=asdf!@#$%^&*()" and encodes it again', () => {
    const value = '\t "\';=asdf!@#$%^&*()';
    const encoded = '%09%20%22%27%3B%3Dasdf%21%40%23%24%25%5E%26*()';
    expect(entries(extractFrom(ROOT_CONTEXT, `SomeKey=${encoded}`))).toEqual({
      SomeKey: [value, undefined],
    });
    const header = inject({ SomeKey: { value } })!;
    expect(entries(extractFrom(ROOT_CONTEXT, header)).SomeKey).toEqual([value, undefined]);
    // Every character outside baggage-octet is percent-encoded ("Definition").
    expect(header.slice('SomeKey='.length)).toMatch(
      /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/,
    );
  });

  it('percent-encodes only what is outside baggage-octet, and % and + ("value")', () => {
    // "Any code points outside of the baggage-octet range MUST be percent-encoded. The percent
    // code point (U+0025) MUST be percent-encoded. Code points which are not required to be
    // percent-encoded MAY be percent-encoded." `+` is one spanlite encodes, as %2B: receivers
    // that decode form-style (OpenTelemetry Python's unquote_plus) would read it as a space.
    for (let c = 0; c < 0x80; c++) {
      const char = String.fromCharCode(c);
      const octet = /[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]/.test(char);
      const expected =
        octet && char !== '%' && char !== '+'
          ? char
          : `%${c.toString(16).toUpperCase().padStart(2, '0')}`;
      expect(encodeBaggageValue(`a${char}b`)).toBe(`a${expected}b`);
    }
    expect(encodeBaggageValue("https://a.example/p?q=1&r=[2]#f@x:y!$'()*~^`{|}<>")).toBe(
      "https://a.example/p?q=1&r=[2]#f@x:y!$'()*~^`{|}<>",
    );
    expect(encodeBaggageValue('100% a+b')).toBe('100%25%20a%2Bb');
    // Outside ASCII: the UTF-8 bytes, a surrogate pair as one code point.
    expect(encodeBaggageValue('Amélie')).toBe('Am%C3%A9lie');
    expect(encodeBaggageValue('\u0080\u07FF\u0800\uFFFF\u{10000}\u{10FFFF}é/')).toBe(
      '%C2%80%DF%BF%E0%A0%80%EF%BF%BF%F0%90%80%80%F4%8F%BF%BF%C3%A9/',
    );
  });

  it('encodes a lone surrogate as U+FFFD, wherever it is', () => {
    const fffd = '%EF%BF%BD';
    expect(encodeBaggageValue('\uD800')).toBe(fffd);
    expect(encodeBaggageValue('\uDC00x')).toBe(`${fffd}x`);
    expect(encodeBaggageValue('x\uDC00\uD800y')).toBe(`x${fffd}${fffd}y`);
    expect(encodeBaggageValue('é\uD83D\uDE00\uD83D')).toBe(`%C3%A9%F0%9F%98%80${fffd}`);
    expect(encodeBaggageValue('a b\uD800')).toBe(`a%20b${fffd}`);
  });

  it('decodes what it encodes, for every UTF-16 code unit and some code points (round trip)', () => {
    const sent = /^[\x21\x23-\x2a\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/; // baggage-octets but +
    const wrong: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const value = `x${String.fromCharCode(c)}%${String.fromCharCode(c)}`;
      const encoded = encodeBaggageValue(value);
      if (!sent.test(encoded) || decodeBaggageValue(encoded) !== value) wrong.push(encoded);
    }
    expect(wrong).toEqual([]);
    for (const value of ['\u{1F600}', 'a\u{10FFFF}+%25', '%E2%9C%93 ✓ +', ''])
      expect(decodeBaggageValue(encodeBaggageValue(value))).toBe(value);
  });

  it('does not turn + into a space (it is a baggage-octet, not form encoding)', () => {
    expect(entries(extractFrom(ROOT_CONTEXT, 'k=a+b%2Bc'))).toEqual({ k: ['a+b+c', undefined] });
  });

  it('reads an empty value (value = *baggage-octet)', () => {
    expect(entries(extractFrom(ROOT_CONTEXT, 'k=,j= ;p'))).toEqual({
      k: ['', undefined],
      j: ['', 'p'],
    });
  });
});

describe('W3C Baggage "Definition": OWS, keys and properties', () => {
  it('trims SP and HTAB around keys, values and properties (w3c test suite, ows cases)', () => {
    expect(
      entries(
        extractFrom(
          ROOT_CONTEXT,
          'SomeKey \t = \t SomeValue \t ; \t SomeProp \t , \t SomeKey2 \t = \t SomeValue2 \t ; \t ValueProp \t = \t PropVal',
        ),
      ),
    ).toEqual({
      SomeKey: ['SomeValue', 'SomeProp'],
      SomeKey2: ['SomeValue2', 'ValueProp=PropVal'],
    });
  });

  it('keeps properties as metadata and sends them again ("property"; OTel: metadata preserved)', () => {
    const baggage = extractFrom(ROOT_CONTEXT, 'k=v;p1;p2=x;p1=y');
    expect(entries(baggage)).toEqual({ k: ['v', 'p1;p2=x;p1=y'] });
    expect(injected(baggage!)).toBe('k=v;p1;p2=x;p1=y');
  });

  it('reads a key with every tchar, and drops a member whose key is not a token ("key")', () => {
    const key = "!#$%&'*+-.^_`|~09AZaz";
    expect(entries(extractFrom(ROOT_CONTEXT, `${key}=1,a(b=2,a/b=3,a:b=4,é=5`))).toEqual({
      [key]: ['1', undefined],
    });
    expect(inject({ [key]: { value: '1' }, 'a b': { value: '2' }, '': { value: '3' } })).toBe(
      `${key}=1`,
    );
  });

  it('drops a member whose value holds a character outside baggage-octet ("value")', () => {
    for (const bad of ['"x"', 'a\\b', 'a b', 'é'])
      expect(entries(extractFrom(ROOT_CONTEXT, `bad=${bad},ok=1`))).toEqual({
        ok: ['1', undefined],
      });
  });
});
