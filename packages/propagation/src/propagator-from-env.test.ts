import { diag } from '@opentelemetry/api';
import { CompositePropagator, type EnvSource, W3CTraceContextPropagator } from '@spanlite/core';
import { describe, expect, it, vi } from 'vitest';
import { B3Propagator } from './b3-propagator';
import { propagatorFromEnv, propagatorFromNames } from './propagator-from-env';

describe('propagatorFromEnv (OTEL_PROPAGATORS)', () => {
  it('defaults to tracecontext,baggage', () => {
    for (const env of [{}, { OTEL_PROPAGATORS: '' }, { OTEL_PROPAGATORS: '  ' }]) {
      expect(propagatorFromEnv(env).fields()).toEqual(['traceparent', 'tracestate', 'baggage']);
    }
  });

  it('builds the listed propagators in order, ignoring case, spaces and repeats', () => {
    const propagator = propagatorFromEnv({ OTEL_PROPAGATORS: ' B3multi , tracecontext,b3multi' });
    expect(propagator).toBeInstanceOf(CompositePropagator);
    expect(propagator.fields()).toEqual([
      'x-b3-traceid',
      'x-b3-spanid',
      'x-b3-sampled',
      'x-b3-flags',
      'traceparent',
      'tracestate',
    ]);
    expect(propagatorFromEnv({ OTEL_PROPAGATORS: 'b3' })).toBeInstanceOf(B3Propagator);
    expect(propagatorFromEnv({ OTEL_PROPAGATORS: 'tracecontext' })).toBeInstanceOf(
      W3CTraceContextPropagator,
    );
  });

  it('turns propagation off for none, and skips unknown names with a warning', () => {
    const warn = vi.spyOn(diag, 'warn').mockImplementation(() => {});
    expect(propagatorFromEnv({ OTEL_PROPAGATORS: 'none' }).fields()).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
    expect(propagatorFromEnv({ OTEL_PROPAGATORS: 'xray,baggage' }).fields()).toEqual(['baggage']);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(propagatorFromEnv({ OTEL_PROPAGATORS: 'none,b3' }).fields()).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });

  it('ignores a list of nothing but unknown names, with a warning, and uses the default (environment variables, "Enum value": "MUST generate a warning and gracefully ignore the setting")', () => {
    const warn = vi.spyOn(diag, 'warn').mockImplementation(() => {});
    try {
      for (const value of ['xray', ' XRay , jaeger ', 'ottrace,,xray']) {
        warn.mockClear();
        expect(propagatorFromEnv({ OTEL_PROPAGATORS: value }).fields()).toEqual([
          'traceparent',
          'tracestate',
          'baggage',
        ]);
        // one warning per unknown name, as written, then one that says the default is used
        const messages = warn.mock.calls.map((call) => String(call[0]));
        expect(messages.slice(0, -1)).toEqual(
          value
            .split(',')
            .map((name) => name.trim())
            .filter((name) => name !== '')
            .map((name) => expect.stringContaining(`"${name}"`)),
        );
        expect(messages.at(-1)).toContain('using tracecontext,baggage');
      }
      // Names given in code follow the same rules.
      warn.mockClear();
      expect(propagatorFromNames(['xray']).fields()).toEqual([
        'traceparent',
        'tracestate',
        'baggage',
      ]);
      expect(warn).toHaveBeenCalledTimes(2);
      // `none` is a known name: unknown names beside it leave propagation off.
      expect(propagatorFromEnv({ OTEL_PROPAGATORS: 'xray,none' }).fields()).toEqual([]);
      expect(propagatorFromNames([]).fields()).toEqual([]);
    } finally {
      warn.mockRestore();
    }
  });

  it('warns with an unknown name as the user wrote it (environment variables: "SHOULD display the original user-provided value")', () => {
    const warn = vi.spyOn(diag, 'warn').mockImplementation(() => {});
    expect(propagatorFromEnv({ OTEL_PROPAGATORS: ' XRay , tracecontext' }).fields()).toEqual([
      'traceparent',
      'tracestate',
    ]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toContain('"XRay"');
    warn.mockRestore();
  });

  it('words its warnings as before the parsing moved into core (logs matched on them keep matching)', () => {
    const warn = vi.spyOn(diag, 'warn').mockImplementation(() => {});
    propagatorFromEnv({ OTEL_PROPAGATORS: 'xray' });
    expect(warn.mock.calls.map((call) => call[0])).toEqual([
      'spanlite: OTEL_PROPAGATORS names "xray", which spanlite does not provide; skipped',
      'spanlite: OTEL_PROPAGATORS names no propagator spanlite provides; using tracecontext,baggage',
    ]);
    warn.mockRestore();
  });

  it('warns about a list that names no propagator, and uses the default as for a blank value ("Parsing empty value")', () => {
    const warn = vi.spyOn(diag, 'warn').mockImplementation(() => {});
    for (const value of [',', ' , ,', ',,,']) {
      warn.mockClear();
      expect(propagatorFromEnv({ OTEL_PROPAGATORS: value }).fields()).toEqual([
        'traceparent',
        'tracestate',
        'baggage',
      ]);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toContain(`"${value}"`);
    }
    // An empty entry beside a name is skipped without a word.
    warn.mockClear();
    expect(propagatorFromEnv({ OTEL_PROPAGATORS: 'tracecontext,,' }).fields()).toEqual([
      'traceparent',
      'tracestate',
    ]);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('core README "An invalid variable is reported through diag and ignored": a value that is not a string, number or boolean warns, and the default applies', () => {
    const warn = vi.spyOn(diag, 'warn').mockImplementation(() => {});
    for (const value of [{}, null, ['b3']]) {
      warn.mockClear();
      const env = { OTEL_PROPAGATORS: value } as unknown as EnvSource;
      expect(propagatorFromEnv(env).fields()).toEqual(['traceparent', 'tracestate', 'baggage']);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toMatch(/^OTEL_PROPAGATORS is not a string/);
    }
    // A boolean is read as its text: "true" names no propagator spanlite has, so the setting is
    // ignored ("Enum value").
    warn.mockClear();
    expect(propagatorFromEnv({ OTEL_PROPAGATORS: true }).fields()).toEqual([
      'traceparent',
      'tracestate',
      'baggage',
    ]);
    expect(warn.mock.calls[0]![0]).toContain('"true"');
    warn.mockRestore();
  });

  it('core README "An invalid variable is reported through diag and ignored": once per environment, however often it is read', () => {
    const warn = vi.spyOn(diag, 'warn').mockImplementation(() => {});
    try {
      for (const value of ['jaeger,b3', 'jaeger', ',,', 'none,b3', { b3: true }]) {
        warn.mockClear();
        const env = { OTEL_PROPAGATORS: value } as unknown as EnvSource;
        propagatorFromEnv(env);
        const first = warn.mock.calls.length;
        expect(first).toBeGreaterThan(0);
        propagatorFromEnv(env);
        expect(warn).toHaveBeenCalledTimes(first);
        // another environment object is reported afresh
        propagatorFromEnv({ OTEL_PROPAGATORS: value } as unknown as EnvSource);
        expect(warn).toHaveBeenCalledTimes(2 * first);
      }
      // names given in code are reported on every call
      warn.mockClear();
      propagatorFromNames(['jaeger', 'b3']);
      propagatorFromNames(['jaeger', 'b3']);
      expect(warn).toHaveBeenCalledTimes(2);
    } finally {
      warn.mockRestore();
    }
  });
});
