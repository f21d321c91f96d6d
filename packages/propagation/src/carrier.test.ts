import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { createDefaultPropagator } from '@spanlite/core';
import { describe, expect, it } from 'vitest';
import { carrierGetter, carrierSetter } from './carrier';
import { headersGetter } from './headers-carrier';
import { mapGetter } from './map-carrier';
import { objectGetter } from './object-carrier';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('carriers', () => {
  it('read a plain object in any header-name case, never from the prototype', () => {
    expect(objectGetter.get({ traceparent: 'a' }, 'traceparent')).toBe('a');
    expect(objectGetter.get({ TraceParent: 'a' }, 'traceparent')).toBe('a');
    expect(objectGetter.get({ tracestate: 'a=1', TRACESTATE: 'b=2' }, 'TraceState')).toEqual([
      'a=1',
      'b=2',
    ]);
    expect(objectGetter.get({}, 'constructor')).toBeUndefined();
    expect(objectGetter.get({}, '__proto__')).toBeUndefined();
    expect(objectGetter.get({ x: { y: 1 } }, 'x')).toBeUndefined();
  });

  it("read Node's IncomingHttpHeaders with string[] values", () => {
    const headers = { traceparent: TRACEPARENT, tracestate: ['a=1', 'b=2'] };
    const context = createDefaultPropagator().extract(ROOT_CONTEXT, headers, objectGetter);
    expect(trace.getSpanContext(context)?.traceState?.serialize()).toBe('a=1,b=2');
  });

  it('read a Map in any case', () => {
    const map = new Map<string, string | string[]>([['TraceParent', TRACEPARENT]]);
    expect(mapGetter.get(map, 'traceparent')).toBe(TRACEPARENT);
    expect(mapGetter.keys(map)).toEqual(['TraceParent']);
  });

  it('read Fetch Headers', () => {
    const headers = new Headers({ TraceParent: TRACEPARENT });
    expect(headersGetter.get(headers, 'traceparent')).toBe(TRACEPARENT);
    expect(headersGetter.get(headers, 'missing')).toBeUndefined();
    expect(headersGetter.keys(headers)).toEqual(['traceparent']);
  });

  it('pick the right getter and setter by shape', () => {
    const propagator = createDefaultPropagator();
    const source = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
    });
    for (const carrier of [new Headers(), new Map(), {} as Record<string, unknown>]) {
      propagator.inject(source, carrier, carrierSetter);
      const context = propagator.extract(ROOT_CONTEXT, carrier, carrierGetter);
      expect(trace.getSpanContext(context)?.spanId).toBe('00f067aa0ba902b7');
      expect(carrierGetter.keys(carrier)).toEqual(['traceparent']);
    }
    expect(carrierGetter.get(null, 'x')).toBeUndefined();
    expect(carrierGetter.keys('x')).toEqual([]);
    carrierSetter.set(null, 'x', 'y');
  });
});
