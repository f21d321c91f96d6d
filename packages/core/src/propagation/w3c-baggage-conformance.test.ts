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
import { describe, expect, it } from 'vitest';
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

  it('keeps at least 64 list-members round trip', () => {
    const record: Record<string, { value: string }> = {};
    for (let i = 0; i < 64; i++) record[`key${i}`] = { value: 'value' };
    const header = inject(record)!;
    expect(extractFrom(ROOT_CONTEXT, header)?.getAllEntries()).toHaveLength(64);
  });
});

describe('OTel Baggage API "Propagation": a header that yields no entries', () => {
  const existing = propagation.setBaggage(
    ROOT_CONTEXT,
    propagation.createBaggage({ stale: { value: '1' } }),
  );

  it.each([
    ['unparsable', 'not baggage'],
    ['present but empty', ''],
    ['only malformed members', 'bad key=1,=2,k="q"'],
  ])('returns a context with no baggage entries when the header is %s', (_name, header) => {
    expect(entries(extractFrom(existing, header))).toEqual({});
    expect(entries(extractFrom(ROOT_CONTEXT, header))).toEqual({});
  });

  it('leaves the context as it is when there is no baggage header', () => {
    const context = propagator.extract(existing, {}, defaultTextMapGetter);
    expect(context).toBe(existing);
  });

  it('replaces the context baggage with the extracted entries', () => {
    expect(entries(extractFrom(existing, 'fresh=2'))).toEqual({ fresh: ['2', undefined] });
  });
});
