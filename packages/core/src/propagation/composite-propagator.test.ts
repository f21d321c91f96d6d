import {
  type Context,
  createContextKey,
  defaultTextMapGetter,
  defaultTextMapSetter,
  diag,
  propagation,
  ROOT_CONTEXT,
  type TextMapPropagator,
  trace,
} from '@opentelemetry/api';
import { describe, expect, it, vi } from 'vitest';
import { CompositePropagator } from './composite-propagator';
import { createDefaultPropagator } from './propagator-from-env';

const KEY = createContextKey('composite test');

function fake(name: string, throws = false): TextMapPropagator {
  return {
    inject(_context, carrier: Record<string, string>) {
      if (throws) throw new Error('inject');
      carrier[name] = name;
    },
    extract(context: Context) {
      if (throws) throw new Error('extract');
      return context.setValue(KEY, name);
    },
    fields: () => [name, 'shared'],
  };
}

describe('CompositePropagator', () => {
  it('injects with each, extracts in order so that the last one wins, and unions fields', () => {
    const composite = new CompositePropagator({ propagators: [fake('a'), fake('b')] });
    const carrier: Record<string, string> = {};
    composite.inject(ROOT_CONTEXT, carrier, defaultTextMapSetter);
    expect(carrier).toEqual({ a: 'a', b: 'b' });
    expect(composite.extract(ROOT_CONTEXT, {}, defaultTextMapGetter).getValue(KEY)).toBe('b');
    expect(composite.fields()).toEqual(['a', 'shared', 'b']);
  });

  it('skips a propagator that throws, with a warning', () => {
    const warn = vi.spyOn(diag, 'warn').mockImplementation(() => {});
    const composite = new CompositePropagator({ propagators: [fake('a'), fake('x', true)] });
    const carrier: Record<string, string> = {};
    composite.inject(ROOT_CONTEXT, carrier, defaultTextMapSetter);
    expect(carrier).toEqual({ a: 'a' });
    expect(composite.extract(ROOT_CONTEXT, {}, defaultTextMapGetter).getValue(KEY)).toBe('a');
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });

  it('is empty without propagators', () => {
    const composite = new CompositePropagator();
    expect(composite.fields()).toEqual([]);
    expect(composite.extract(ROOT_CONTEXT, {}, defaultTextMapGetter)).toBe(ROOT_CONTEXT);
  });
});

describe('createDefaultPropagator', () => {
  it('is W3C Trace Context plus W3C Baggage', () => {
    const propagator = createDefaultPropagator();
    expect(propagator.fields()).toEqual(['traceparent', 'tracestate', 'baggage']);
    const context = propagator.extract(
      ROOT_CONTEXT,
      {
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        baggage: 'a=1',
      },
      defaultTextMapGetter,
    );
    expect(trace.getSpanContext(context)?.spanId).toBe('00f067aa0ba902b7');
    expect(propagation.getBaggage(context)?.getEntry('a')?.value).toBe('1');
    const carrier: Record<string, string> = {};
    propagator.inject(context, carrier, defaultTextMapSetter);
    expect(carrier).toEqual({
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      baggage: 'a=1',
    });
  });
});
