import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { captureDiag, createTestProvider } from '../../test/helpers/test-provider';
import { suppressTracing } from '../context/suppress-tracing';
import { Resource } from '../resource/resource';
import { VERSION } from '../version';

let capture: ReturnType<typeof captureDiag> | undefined;
afterEach(() => {
  capture?.restore();
  capture = undefined;
  trace.disable();
});

describe('TracerProvider', () => {
  it('describes the service in its resource (spec: resource SDK and environment variables)', () => {
    const { provider } = createTestProvider({
      env: {
        OTEL_RESOURCE_ATTRIBUTES:
          'deployment.environment=prod,team=a%20b,service.name=from-attributes',
        OTEL_SERVICE_NAME: 'from-service-name',
      },
    });
    expect(provider.resource.attributes).toMatchObject({
      'service.name': 'from-service-name',
      'deployment.environment': 'prod',
      team: 'a b',
      'telemetry.sdk.name': 'spanlite',
      'telemetry.sdk.version': VERSION,
    });
    expect(['nodejs', 'webjs']).toContain(provider.resource.attributes['telemetry.sdk.language']);
  });

  it('defaults service.name to unknown_service[:executable]; the option wins over everything', () => {
    expect(createTestProvider().provider.resource.attributes['service.name']).toMatch(
      /^unknown_service(:.+)?$/,
    );
    const { provider } = createTestProvider({
      serviceName: 'opt',
      env: { OTEL_SERVICE_NAME: 'env' },
    });
    expect(provider.resource.attributes['service.name']).toBe('opt');
  });

  it('lays OTEL_RESOURCE_ATTRIBUTES and the options over detected attributes (spec: the user-provided resource has higher priority)', () => {
    const { provider } = createTestProvider({
      detectedResource: {
        'cloud.region': 'iad1',
        'deployment.environment.name': 'preview',
        'process.runtime.name': 'edge',
        'service.name': 'detected',
      },
      resource: { 'process.runtime.name': 'from-option' },
      env: { OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=staging' },
    });
    expect(provider.resource.attributes).toMatchObject({
      'cloud.region': 'iad1',
      'deployment.environment.name': 'staging',
      'process.runtime.name': 'from-option',
      'service.name': 'detected',
    });
    const named = createTestProvider({
      detectedResource: { 'service.name': 'detected' },
      env: { OTEL_SERVICE_NAME: 'env' },
    });
    expect(named.provider.resource.attributes['service.name']).toBe('env');
  });

  it('takes a Resource as the resource option, its schema URL included (spec resource/sdk.md "Create": the schema URL "should be recorded in the emitted resource")', () => {
    const { provider } = createTestProvider({
      resource: new Resource(
        { 'service.name': 'checkout', team: 'a' },
        'https://example.com/s/1.0',
      ),
      env: { OTEL_RESOURCE_ATTRIBUTES: 'team=env,region=eu' },
    });
    expect(provider.resource.schemaUrl).toBe('https://example.com/s/1.0');
    expect(provider.resource.attributes).toMatchObject({
      'service.name': 'checkout',
      team: 'a',
      region: 'eu',
    });
    expect(provider.resource.attributes).not.toHaveProperty('attributes');
    expect(provider.resource.attributes).not.toHaveProperty('schemaUrl');
    // Attributes are never taken for a resource, even with keys named like a resource's members.
    const plain = createTestProvider({ resource: { attributes: 'x', schemaUrl: 'y' } }).provider;
    expect(plain.resource.attributes).toMatchObject({ attributes: 'x', schemaUrl: 'y' });
    expect(plain.resource.schemaUrl).toBeUndefined();
  });

  it('discards an invalid OTEL_RESOURCE_ATTRIBUTES whole, with an error', () => {
    capture = captureDiag();
    const { provider } = createTestProvider({
      env: { OTEL_RESOURCE_ATTRIBUTES: 'good=1,bad%ZZ=2' },
    });
    expect(provider.resource.attributes.good).toBeUndefined();
    expect(capture.text()).toMatch(/OTEL_RESOURCE_ATTRIBUTES is invalid/);
  });

  it('reuses tracers per name, version and schema URL', () => {
    const { provider } = createTestProvider();
    expect(provider.getTracer('a', '1')).toBe(provider.getTracer('a', '1'));
    expect(provider.getTracer('a', '1')).not.toBe(provider.getTracer('a', '2'));
  });

  it('records nothing in a suppressed context (the exporter calls its backend in one)', () => {
    const { tracer, spans } = createTestProvider();
    const span = tracer.startSpan('s', {}, suppressTracing(ROOT_CONTEXT));
    expect(span.isRecording()).toBe(false);
    span.end();
    expect(spans).toHaveLength(0);
  });

  it('is a no-op with OTEL_SDK_DISABLED=true, and registers no tracer provider', () => {
    capture = captureDiag();
    const { provider, tracer, spans } = createTestProvider({ env: { OTEL_SDK_DISABLED: 'TRUE' } });
    const span = tracer.startSpan('s');
    expect(span.isRecording()).toBe(false);
    span.end();
    expect(spans).toHaveLength(0);
    provider.register();
    expect(trace.getTracerProvider()).not.toBe(provider);
  });

  it('still registers the propagator and context manager with OTEL_SDK_DISABLED=true (spec: "no effect on propagators")', () => {
    capture = captureDiag();
    const { provider } = createTestProvider({ env: { OTEL_SDK_DISABLED: 'true' } });
    provider.register();
    try {
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      const incoming = propagation.extract(context.active(), { traceparent });
      const outgoing: Record<string, string> = {};
      context.with(incoming, () => propagation.inject(context.active(), outgoing));
      expect(outgoing.traceparent).toBe(traceparent);
    } finally {
      context.disable();
      propagation.disable();
    }
  });

  describe('register() and OTEL_PROPAGATORS (SDK environment variables: "Propagators to be used")', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    /** What the registered propagator sends on for a request that came with these headers. */
    function passedOn(env: Record<string, string>): Record<string, string> {
      const { provider } = createTestProvider({ env });
      provider.register();
      try {
        const incoming = propagation.extract(context.active(), {
          traceparent,
          baggage: 'user=alice',
        });
        const outgoing: Record<string, string> = {};
        context.with(incoming, () => propagation.inject(context.active(), outgoing));
        return outgoing;
      } finally {
        context.disable();
        propagation.disable();
      }
    }

    it('registers W3C Trace Context and Baggage when unset', () => {
      expect(passedOn({})).toEqual({ traceparent, baggage: 'user=alice' });
    });

    it('registers no propagator for "none" ("No automatically configured propagator")', () => {
      expect(passedOn({ OTEL_PROPAGATORS: 'none' })).toEqual({});
    });

    it('registers only the ones named', () => {
      expect(passedOn({ OTEL_PROPAGATORS: 'tracecontext' })).toEqual({ traceparent });
      expect(passedOn({ OTEL_PROPAGATORS: 'baggage' })).toEqual({ baggage: 'user=alice' });
    });

    it("skips B3, which is @spanlite/propagation's, with a warning that says where it is", () => {
      capture = captureDiag();
      expect(passedOn({ OTEL_PROPAGATORS: 'tracecontext,b3' })).toEqual({ traceparent });
      expect(capture.text()).toContain('"b3"');
      expect(capture.text()).toContain('@spanlite/propagation');
    });
  });

  it('records nothing after shutdown', async () => {
    const { provider, tracer, spans } = createTestProvider();
    await provider.shutdown();
    tracer.startSpan('late').end();
    expect(spans).toHaveLength(0);
  });

  it('keeps going when a span processor throws', () => {
    capture = captureDiag();
    const { tracer, spans } = createTestProvider({
      spanProcessors: [
        {
          onStart() {
            throw new Error('onStart bug');
          },
          onEnd() {
            throw new Error('onEnd bug');
          },
          forceFlush: async () => {},
          shutdown: async () => {},
        },
      ],
    });
    expect(() => tracer.startSpan('s').end()).not.toThrow();
    expect(spans).toHaveLength(1);
    expect(capture.text()).toMatch(/threw in onStart/);
    expect(capture.text()).toMatch(/threw in onEnd/);
  });

  it('stops waiting for a processor that never finishes (spec: ForceFlush "SHOULD complete or abort within some timeout")', async () => {
    capture = captureDiag();
    const calls: string[] = [];
    const { provider } = createTestProvider({
      forceFlushTimeoutMillis: 30,
      spanProcessors: [
        {
          onStart() {},
          onEnd() {},
          forceFlush: () => new Promise<void>(() => {}),
          shutdown: () => new Promise<void>(() => {}),
        },
        {
          onStart() {},
          onEnd() {},
          forceFlush: async () => void calls.push('forceFlush'),
          shutdown: async () => void calls.push('shutdown'),
        },
      ],
    });
    // "SHOULD provide a way to let the caller know whether it succeeded, failed or timed out"
    expect(await provider.forceFlush()).toBe('timeout');
    expect(await provider.shutdown()).toBe('timeout');
    // the well-behaved processor was reached all the same
    expect(calls).toEqual(['forceFlush', 'shutdown']);
    expect(capture.text()).toMatch(/forceFlush did not finish within 30 ms/);
    expect(capture.text()).toMatch(/shutdown did not finish within 30 ms/);
  });

  it('logs a flush that timed out once, not once per flush (a dead backend, a flush after every response)', async () => {
    capture = captureDiag();
    const { provider } = createTestProvider({
      forceFlushTimeoutMillis: 5,
      spanProcessors: [
        {
          onStart() {},
          onEnd() {},
          forceFlush: () => new Promise<void>(() => {}),
          shutdown: async () => {},
        },
      ],
    });
    for (let i = 0; i < 5; i++) expect(await provider.forceFlush()).toBe('timeout');
    const errors = capture.messages.filter((m) => m.level === 'error');
    expect(errors.map((m) => m.message)).toEqual([
      "TracerProvider: a span processor's forceFlush did not finish within 5 ms; not waiting (further occurrences are counted, not logged)",
    ]);
  });
});
