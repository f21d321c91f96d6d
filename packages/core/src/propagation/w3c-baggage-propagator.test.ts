import {
  baggageEntryMetadataFromString,
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  ROOT_CONTEXT,
} from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { suppressTracing } from '../context/suppress-tracing';
import { decodeBaggageValue, encodeBaggageValue, parseBaggageHeader } from './baggage-codec';
import { W3CBaggagePropagator } from './w3c-baggage-propagator';

const propagator = new W3CBaggagePropagator();

function extract(header: string | string[]) {
  const context = propagator.extract(ROOT_CONTEXT, { baggage: header }, defaultTextMapGetter);
  return propagation.getBaggage(context);
}

function plain(header: string | string[]): Record<string, [string, string | undefined]> {
  const out: Record<string, [string, string | undefined]> = {};
  for (const [key, entry] of extract(header)?.getAllEntries() ?? [])
    out[key] = [entry.value, entry.metadata?.toString()];
  return out;
}

// Citations name sections of W3C Baggage, "Baggage HTTP Header Format" (baggage/HTTP_HEADER_FORMAT.md).
describe('W3CBaggagePropagator extract', () => {
  it('reads the "Limits › Example" header with properties', () => {
    expect(
      plain(
        'key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue',
      ),
    ).toEqual({
      key1: ['value1', 'property1;property2'],
      key2: ['value2', undefined],
      key3: ['value3', 'propertyKey=propertyValue'],
    });
  });

  it('reads the single- and multi-header examples of "Examples of HTTP headers"', () => {
    const expected = {
      userId: ['alice', undefined],
      serverNode: ['DF 28', undefined],
      isProduction: ['false', undefined],
    };
    expect(plain('userId=alice,serverNode=DF%2028,isProduction=false')).toEqual(expected);
    expect(plain(['userId=alice', 'serverNode=DF%2028,isProduction=false'])).toEqual(expected);
    expect(plain(['userId =   alice', 'serverNode = DF%2028, isProduction = false'])).toEqual(
      expected,
    );
  });

  it('decodes percent-encoded UTF-8, replacing invalid sequences with U+FFFD ("value")', () => {
    expect(decodeBaggageValue('%E2%9C%93%20ok')).toBe('✓ ok');
    expect(decodeBaggageValue('%FF%e2%9c%93')).toBe('\uFFFD✓');
    expect(decodeBaggageValue('100%zz%')).toBe('100%zz%');
  });

  it('lets a value hold = signs ("MAY contain any number of the equal sign")', () => {
    expect(plain('k=a=b==')).toEqual({ k: ['a=b==', undefined] });
  });

  it('drops malformed members one by one ("Mutating baggage": "MAY remove that entry")', () => {
    expect(
      plain('good=1,bad key=2,no-equals,quo="x",semi=a;;b,back=a\\b,tab=a\tb,ok=2,=empty-key'),
    ).toEqual({ good: ['1', undefined], ok: ['2', undefined] });
    expect(extract('not baggage')).toBeUndefined();
  });

  it('keeps keys such as __proto__ and constructor as plain data', () => {
    const baggage = extract('__proto__=x,constructor=y,toString=z');
    expect(baggage?.getEntry('__proto__')?.value).toBe('x');
    expect(baggage?.getEntry('constructor')?.value).toBe('y');
    expect(baggage?.getAllEntries()).toHaveLength(3);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('reads every member that ends within 8192 characters ("Limits")', () => {
    const many = Array.from({ length: 200 }, (_, i) => `k${i}=v`).join(',');
    expect(extract(many)?.getAllEntries()).toHaveLength(200);
    const long = `big=${'x'.repeat(4093)},small=1`;
    expect(Object.keys(plain(long))).toEqual(['big', 'small']);
    const edge = `a=${'x'.repeat(4000)},b=${'y'.repeat(4000)},c=${'z'.repeat(400)}`;
    expect(Object.keys(plain(edge))).toEqual(['a', 'b']);
  });

  it('lets a later member replace an earlier one with the same key', () => {
    expect(plain('k=1,k=2')).toEqual({ k: ['2', undefined] });
  });

  it('never throws on hostile values', () => {
    expect(parseBaggageHeader(';;;===,,,%%%')).toBeUndefined();
    expect(propagator.extract(ROOT_CONTEXT, { baggage: 42 }, defaultTextMapGetter)).toBe(
      ROOT_CONTEXT,
    );
  });
});

describe('W3CBaggagePropagator inject', () => {
  it('percent-encodes values and keeps valid metadata', () => {
    const baggage = propagation.createBaggage({
      userId: { value: 'alice' },
      serverNode: { value: 'DF 28' },
      odd: { value: '%,;"\\é', metadata: baggageEntryMetadataFromString('p1; p2 = v') },
      badMeta: { value: '1', metadata: baggageEntryMetadataFromString('not a property') },
      'bad key': { value: 'x' },
    });
    const carrier: Record<string, string> = {};
    propagator.inject(propagation.setBaggage(ROOT_CONTEXT, baggage), carrier, defaultTextMapSetter);
    expect(carrier.baggage).toBe(
      'userId=alice,serverNode=DF%2028,odd=%25%2C%3B%22%5C%C3%A9;p1;p2=v,badMeta=1',
    );
    expect(plain(carrier.baggage!).odd).toEqual(['%,;"\\é', 'p1;p2=v']);
  });

  it('encodes lone surrogates as U+FFFD', () => {
    expect(encodeBaggageValue('a\uD800b')).toBe('a%EF%BF%BDb');
  });

  it('leaves out whole members that would take the header past 8192 characters', () => {
    const entries: Record<string, { value: string }> = {};
    for (let i = 0; i < 200; i++) entries[`k${i}`] = { value: 'v' };
    entries.huge = { value: 'x'.repeat(8000) };
    entries.last = { value: 'v' };
    const carrier: Record<string, string> = {};
    const context = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage(entries));
    propagator.inject(context, carrier, defaultTextMapSetter);
    expect(carrier.baggage!.split(',')).toHaveLength(201);
    expect(carrier.baggage).not.toContain('huge');
    expect(carrier.baggage!.endsWith(',last=v')).toBe(true);
  });

  it('injects nothing when tracing is suppressed or there is no baggage', () => {
    const carrier: Record<string, string> = {};
    const context = propagation.setBaggage(
      ROOT_CONTEXT,
      propagation.createBaggage({ a: { value: '1' } }),
    );
    propagator.inject(suppressTracing(context), carrier, defaultTextMapSetter);
    propagator.inject(ROOT_CONTEXT, carrier, defaultTextMapSetter);
    expect(carrier).toEqual({});
  });
});

describe('W3CBaggagePropagator never throws (OTel API "Error handling": API methods MUST NOT throw)', () => {
  const boom = () => {
    throw new Error('boom');
  };
  it('for a baggage, setter or getter that throws', () => {
    const propagator = new W3CBaggagePropagator();
    const throwing = propagation.setBaggage(ROOT_CONTEXT, { getAllEntries: boom } as never);
    expect(() => propagator.inject(throwing, {}, defaultTextMapSetter)).not.toThrow();
    const valid = propagation.setBaggage(
      ROOT_CONTEXT,
      propagation.createBaggage({ k: { value: 'v' } }),
    );
    expect(() => propagator.inject(valid, {}, { set: boom })).not.toThrow();
    expect(propagator.extract(ROOT_CONTEXT, {}, { get: boom, keys: () => [] })).toBe(ROOT_CONTEXT);
  });
});
