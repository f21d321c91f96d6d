/**
 * What the caller hands the Trace API may throw when read (a getter, a Proxy, a Date-like object)
 * or change after the span has ended. Neither reaches the span's caller or its export: the
 * promise is that instrumentation never throws into user code, and the specification's that an
 * ended span does not change.
 */
import {
  type Attributes,
  type Link,
  ROOT_CONTEXT,
  type SpanContext,
  SpanKind,
  type SpanOptions,
  trace,
} from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { captureDiag, createTestProvider } from '../../test/helpers/test-provider';
import { isCheckedSpan } from '../export/checked-span';
import type { SamplingDecision } from '../samplers/sampler';

let diagCapture: ReturnType<typeof captureDiag> | undefined;
afterEach(() => {
  diagCapture?.restore();
  diagCapture = undefined;
});

/** The warnings logged so far in this test. */
const warnings = () =>
  diagCapture!.messages.filter((m) => m.level === 'warn').map((m) => m.message);
const throwing = (): never => {
  throw new Error('hostile read');
};
const revokedProxy = () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

describe('values that throw when read never throw out of the API', () => {
  it('in startSpan: what cannot be read is left out, or the span is non-recording; startActiveSpan still runs', () => {
    diagCapture = captureDiag();
    const { tracer, spans } = createTestProvider();
    for (const member of ['attributes', 'links', 'kind', 'startTime', 'root']) {
      const options = Object.defineProperty({}, member, { get: throwing }) as SpanOptions;
      expect(() => tracer.startSpan('s', options)).not.toThrow();
    }
    const attributes = Object.defineProperty({}, 'key', { get: throwing, enumerable: true });
    const span = tracer.startSpan('kept', { attributes });
    expect(span.isRecording()).toBe(true);
    span.end();
    expect(spans.map((s) => [s.name, s.attributes])).toEqual([['kept', {}]]);
    expect(tracer.startActiveSpan('s', { attributes }, () => 'ran')).toBe('ran');
    const context = Object.create(ROOT_CONTEXT, { getValue: { value: throwing } });
    expect(tracer.startSpan('s', {}, context).isRecording()).toBe(false);
    expect(diagCapture.text()).toMatch(/startSpan "s": Error: hostile read; a non-recording span/);
    expect(diagCapture.text()).toMatch(
      /span "kept": setAttributes: Error: hostile read; the rest dropped/,
    );
  });

  it('in the span methods: each call says what it dropped, and the span goes on', () => {
    diagCapture = captureDiag();
    const { tracer, spans } = createTestProvider();
    const span = tracer.startSpan('s');
    const hostile = Object.defineProperty({}, 'key', { get: throwing, enumerable: true });
    const calls: Array<[() => unknown, string]> = [
      [
        () => span.setAttributes(hostile as Attributes),
        'span "s": setAttributes: Error: hostile read; the rest dropped',
      ],
      [
        () => span.setAttribute(revokedProxy() as string, 1),
        'span "s": invalid attribute key (unprintable); dropped',
      ],
      [
        () => span.addEvent('e', hostile as Attributes),
        'span "s": addEvent: Error: hostile read; the rest dropped',
      ],
      [
        () =>
          span.addLink({
            context: { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 },
            attributes: hostile,
          }),
        'span "s": addLink: Error: hostile read; the rest dropped',
      ],
      [
        () => span.addLinks(revokedProxy() as Link[]),
        'span "s": addLinks: TypeError: Cannot perform \'IsArray\' on a proxy that has been revoked; the rest dropped',
      ],
      [
        () => span.setStatus(Object.defineProperty({}, 'code', { get: throwing }) as never),
        'span "s": setStatus: Error: hostile read; the rest dropped',
      ],
      [
        () => span.end(Object.create(Date.prototype) as Date),
        'span "s": invalid end time; using now',
      ],
    ];
    for (const [call, warning] of calls) {
      diagCapture.messages.length = 0;
      expect(call).not.toThrow();
      expect(warnings()).toEqual([warning]);
    }
    expect(spans).toHaveLength(1);
    expect(spans[0]!.links).toEqual([]);
    expect(spans[0]!.events).toEqual([]);
  });

  it('a name that cannot be printed is recorded as "(unprintable)"; a Date-like time as now', () => {
    const { tracer, spans } = createTestProvider();
    const span = tracer.startSpan(revokedProxy() as string);
    span.addEvent(revokedProxy() as string, Object.create(Date.prototype) as Date);
    span.end();
    expect(spans.map((s) => [s.name, s.events.map((e) => e.name)])).toEqual([
      ['(unprintable)', ['(unprintable)']],
    ]);
  });

  it("a span that cannot be made keeps its parent's trace, so calls under it still propagate it", () => {
    diagCapture = captureDiag();
    const { tracer } = createTestProvider();
    const parent = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 1,
      isRemote: true,
    });
    const options = Object.defineProperty({}, 'kind', { get: throwing }) as SpanOptions;
    const span = tracer.startSpan('s', options, parent);
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext()).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID });
  });

  it("in a sampler's result: the span is dropped and the sampler reported", () => {
    diagCapture = captureDiag();
    const sampler = {
      shouldSample: () => ({
        get decision(): SamplingDecision {
          throw new Error('no decision');
        },
      }),
      toString: () => 'HostileSampler',
    };
    const { tracer, spans } = createTestProvider({ sampler });
    expect(tracer.startSpan('s').isRecording()).toBe(false);
    expect(spans).toHaveLength(0);
    expect(diagCapture.text()).toMatch(/sampler HostileSampler threw/);
  });
});

describe('times OTLP cannot carry (unsigned nanoseconds since 1970, so up to 2554)', () => {
  it('before 1970 or after 2554: now, with a warning, as an invalid Date', () => {
    diagCapture = captureDiag();
    const { tracer, spans } = createTestProvider();
    const before = Date.now();
    const early = tracer.startSpan('early', { startTime: new Date(-500) });
    early.addEvent('e', [-5, 0]);
    early.end([-5, 0]);
    tracer.startSpan('late', { startTime: [2 ** 40, 0] }).end(2 ** 60);
    for (const span of spans) {
      for (const [s] of [span.startTime, span.endTime, ...span.events.map((e) => e.time)]) {
        expect(s * 1000).toBeGreaterThanOrEqual(before - 1000);
        expect(s * 1000).toBeLessThanOrEqual(Date.now() + 1000);
      }
    }
    expect(warnings()).toEqual([
      'span "early": invalid start time; using now',
      'span "early": invalid end time; using now',
      'span "late": invalid start time; using now',
      'span "late": invalid end time; using now',
    ]);
  });
});

describe('span contexts of the caller are copied (an ended span does not change)', () => {
  it("a link's and a wrapped parent's context changed after end leave the exported span as it was", () => {
    const { tracer, spans } = createTestProvider();
    const linked: SpanContext = { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 };
    const added: SpanContext = { ...linked, spanId: '1111111111111111' };
    const parent: SpanContext = { ...linked, spanId: '2222222222222222', isRemote: true };
    const link: Link = { context: linked };
    const span = tracer.startSpan(
      's',
      { links: [link], kind: SpanKind.CLIENT },
      trace.setSpanContext(ROOT_CONTEXT, parent),
    );
    span.addLink({ context: added });
    span.end();
    for (const context of [linked, added, parent]) {
      context.spanId = 'fffffffffffffff'; // 15 digits: no span id OTLP could carry
      context.traceFlags = 0;
      context.isRemote = false;
    }
    const [finished] = spans;
    expect(finished!.links.map((l) => [l.context.spanId, l.context.traceFlags])).toEqual([
      [SPAN_ID, 1],
      ['1111111111111111', 1],
    ]);
    expect(finished!.parentSpanContext).toMatchObject({
      spanId: '2222222222222222',
      traceFlags: 1,
      isRemote: true,
    });
  });
});

describe('resource attributes are held to the rules of span attributes', () => {
  it('invalid values and keys are dropped with a warning; cycles too; arrays are copied', () => {
    diagCapture = captureDiag();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const regions = ['eu-west-1'];
    const { provider } = createTestProvider({
      resource: {
        'build.id': 5n,
        'deploy.time': new Date(0),
        '': 'no key',
        graph: cyclic,
        regions,
        'service.name': 'shop',
      } as unknown as Attributes,
    });
    regions.push('us-east-1');
    const attributes = provider.resource.attributes;
    expect(attributes['service.name']).toBe('shop');
    expect(attributes.regions).toEqual(['eu-west-1']);
    expect(
      Object.keys(attributes).filter((key) =>
        ['build.id', 'deploy.time', '', 'graph'].includes(key),
      ),
    ).toEqual([]);
    expect(warnings()).toEqual([
      'resource: invalid attribute "build.id"; dropped',
      'resource: invalid attribute "deploy.time"; dropped',
      'resource: invalid attribute ""; dropped',
      'resource: invalid attribute "graph"; dropped',
    ]);
  });

  it('a resource option that throws when read is ignored with a warning', () => {
    diagCapture = captureDiag();
    const resource = Object.defineProperty({}, 'x', { get: throwing, enumerable: true });
    const { provider } = createTestProvider({ resource: resource as Attributes });
    expect(provider.resource.attributes['telemetry.sdk.name']).toBe('spanlite');
    expect(diagCapture.text()).toMatch(/resource: the attributes given could not be read/);
  });
});

describe('CHECKED_SPAN', () => {
  it("marks the SDK's recorded spans, whose fields it checked on the way in, and nothing else", () => {
    const { tracer, spans } = createTestProvider();
    tracer.startSpan('s').end();
    expect(isCheckedSpan(spans[0]!)).toBe(true);
    expect(isCheckedSpan({ ...spans[0]! })).toBe(false);
    expect(isCheckedSpan(Object.create(null))).toBe(false);
  });
});

describe('span names in diagnostics', () => {
  it("quote a name up to its query and 100 characters: a URL's secrets and a long name stay out", () => {
    diagCapture = captureDiag();
    const { tracer } = createTestProvider();
    const url = tracer.startSpan('GET /download?X-Amz-Signature=s3cr3t&token=t0k3n');
    url.setAttribute('user', (() => undefined) as never);
    const long = tracer.startSpan(`GET /${'a'.repeat(300)}`);
    long.end();
    long.end();
    expect(warnings()).toEqual([
      'span "GET /download?…": invalid value for attribute "user"; dropped',
      expect.stringMatching(
        /^span "GET \/a{95}…" \([0-9a-f]{16}\): end\(\) called again; ignored$/,
      ),
    ]);
  });
});
