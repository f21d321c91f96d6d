import {
  DiagLogLevel,
  diag,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { captureDiag, createTestProvider } from '../../test/helpers/test-provider';
import { now, toHrTime } from '../time/clock';

let diagCapture: ReturnType<typeof captureDiag> | undefined;
afterEach(() => {
  diagCapture?.restore();
  diagCapture = undefined;
});

describe('span attributes', () => {
  it('keeps the start attributes of each span apart, also when a diag logger starts spans', () => {
    const { tracer, spans } = createTestProvider();
    let inner = 0;
    diag.setLogger(
      {
        error: () => {},
        warn: () => {
          // A logger that traces: setAttributes runs again while the outer call is under way.
          if (inner++ === 0) tracer.startSpan('inner', { attributes: { x: 1, y: 'two' } }).end();
        },
        info: () => {},
        debug: () => {},
        verbose: () => {},
      },
      { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
    );
    try {
      const outer = tracer.startSpan('outer', {
        attributes: { a: 'a', bad: new Date(0) as never, b: 2, c: [true, false] },
      });
      outer.end();
      const again = tracer.startSpan('again', { attributes: { d: 'd' } });
      again.end();
    } finally {
      diag.disable();
    }
    expect(spans.map((s) => [s.name, s.attributes])).toEqual([
      ['inner', { x: 1, y: 'two' }],
      ['outer', { a: 'a', b: 2, c: [true, false] }],
      ['again', { d: 'd' }],
    ]);
  });

  it('keeps AnyValue values (primitives, arrays, maps), drops the rest with a diagnostic', () => {
    diagCapture = captureDiag();
    const { tracer, spans } = createTestProvider();
    const span = tracer.startSpan('s');
    span.setAttribute('str', 'v');
    span.setAttribute('num', 1.5);
    span.setAttribute('bool', false);
    span.setAttribute('arr', ['a', null, 'b']);
    span.setAttribute('nums', [1, 2, undefined]);
    span.setAttribute('mixed', ['a', 1] as never);
    span.setAttribute('object', { a: 1 } as never);
    span.setAttribute('nested', [[1]] as never);
    span.setAttribute('date', new Date(0) as never);
    span.setAttribute('symbol', Symbol('s') as never);
    span.setAttribute('', 'empty key');
    span.setAttribute('undef', undefined as never);
    span.end();
    expect(spans[0]!.attributes).toEqual({
      str: 'v',
      num: 1.5,
      bool: false,
      arr: ['a', null, 'b'],
      nums: [1, 2, undefined],
      mixed: ['a', 1],
      object: { a: 1 },
      nested: [[1]],
    });
    const warnings = diagCapture.messages.filter((m) => m.level === 'warn').map((m) => m.message);
    expect(warnings.join('\n')).toMatch(/"date"/);
    expect(warnings.join('\n')).toMatch(/"symbol"/);
    expect(warnings.join('\n')).toMatch(/invalid attribute key/);
    expect(warnings).toHaveLength(3);
  });

  it('treats __proto__ and other Object.prototype names as plain keys', () => {
    const { tracer, spans } = createTestProvider();
    const span = tracer.startSpan('s');
    span.setAttribute('__proto__', 'p');
    span.setAttribute('toString', 't');
    span.setAttribute('constructor', 1);
    span.end();
    const attributes = spans[0]!.attributes;
    expect(Object.keys(attributes).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getOwnPropertyDescriptor(attributes, '__proto__')?.value).toBe('p');
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
  });

  it('counts attributes past the limit as dropped, but lets existing keys change', () => {
    const { tracer, spans } = createTestProvider({ spanLimits: { attributeCountLimit: 2 } });
    const span = tracer.startSpan('s', { attributes: { a: 1, b: 2, c: 3 } });
    span.setAttribute('a', 10);
    span.setAttribute('d', 4);
    span.end();
    expect(spans[0]!.attributes).toEqual({ a: 10, b: 2 });
    expect(spans[0]!.droppedAttributesCount).toBe(2);
  });

  it('truncates strings, also inside arrays, to the value length limit', () => {
    const { tracer, spans } = createTestProvider({ spanLimits: { attributeValueLengthLimit: 3 } });
    const span = tracer.startSpan('s');
    span.setAttributes({ s: 'abcdef', a: ['abcdef', 'ab'], n: 123456, b: true });
    span.addEvent('e', { s: 'abcdef' });
    span.end();
    expect(spans[0]!.attributes).toEqual({ s: 'abc', a: ['abc', 'ab'], n: 123456, b: true });
    expect(spans[0]!.events[0]!.attributes).toEqual({ s: 'abc' });
  });
});

describe('array attribute values', () => {
  it('are copied wherever they are set, so reusing an array cannot change a span', () => {
    const { tracer, spans } = createTestProvider();
    const values = ['a'];
    const span = tracer.startSpan('s', { attributes: { fromOptions: values } });
    span.setAttribute('fromSet', values);
    span.setAttributes({ fromSetMany: values });
    span.addEvent('e', { fromEvent: values });
    span.addLink({ context: span.spanContext(), attributes: { fromLink: values } });
    span.end();
    values.push('changed');
    const finished = spans[0]!;
    expect(finished.attributes).toEqual({ fromOptions: ['a'], fromSet: ['a'], fromSetMany: ['a'] });
    expect(finished.events[0]!.attributes).toEqual({ fromEvent: ['a'] });
    expect(finished.links[0]!.attributes).toEqual({ fromLink: ['a'] });
  });
});

describe('span events and links', () => {
  it('records events with attributes and times, keeping the newest past the limit', () => {
    const { tracer, spans } = createTestProvider({ spanLimits: { eventCountLimit: 2 } });
    const span = tracer.startSpan('s');
    const seconds = Math.floor(Date.now() / 1000);
    span.addEvent('one');
    span.addEvent('two', { k: 'v' });
    span.addEvent('three', [seconds, 5]);
    span.addEvent('four', { k: 1 }, new Date(seconds * 1000));
    span.end();
    const events = spans[0]!.events;
    expect(events.map((e) => e.name)).toEqual(['three', 'four']);
    expect(events[0]!.time).toEqual([seconds, 5]);
    expect(events[1]!.time).toEqual([seconds, 0]);
    expect(events[1]!.attributes).toEqual({ k: 1 });
    expect(spans[0]!.droppedEventsCount).toBe(2);
  });

  it('limits attributes per event and per link and counts the dropped ones', () => {
    const { tracer, spans } = createTestProvider({
      spanLimits: {
        attributePerEventCountLimit: 1,
        attributePerLinkCountLimit: 1,
        linkCountLimit: 1,
      },
    });
    const other = tracer.startSpan('other');
    const span = tracer.startSpan('s', { links: [{ context: other.spanContext() }] });
    // past the link limit the oldest link goes, as with events
    span.addLink({ context: other.spanContext(), attributes: { a: 1, b: 2 } });
    span.addEvent('e', { a: 1, b: 2, c: 3 });
    span.end();
    const finished = spans[0]!;
    expect(finished.events[0]!.droppedAttributesCount).toBe(2);
    expect(finished.links).toHaveLength(1);
    expect(finished.links[0]!.attributes).toEqual({ a: 1 });
    expect(finished.links[0]!.droppedAttributesCount).toBe(1);
    expect(finished.droppedLinksCount).toBe(1);
  });
});

describe('span status, name and end', () => {
  it('follows the status rules (spec trace/api.md "Set Status"): UNSET ignored, OK final, message only with ERROR', () => {
    const { tracer, spans } = createTestProvider();
    const a = tracer.startSpan('a');
    a.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
    a.setStatus({ code: SpanStatusCode.UNSET });
    a.end();
    const b = tracer.startSpan('b');
    b.setStatus({ code: SpanStatusCode.OK, message: 'ignored' });
    b.setStatus({ code: SpanStatusCode.ERROR, message: 'too late' });
    b.end();
    expect(spans[0]!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
    expect(spans[1]!.status).toEqual({ code: SpanStatusCode.OK });
  });

  it('takes an empty description as none (spec trace/api.md "Set Status": "An empty Description is equivalent with a not present one")', () => {
    const { tracer, spans } = createTestProvider();
    const span = tracer.startSpan('a');
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
    span.setStatus({ code: SpanStatusCode.ERROR, message: '' });
    span.end();
    expect(spans[0]!.status).toEqual({ code: SpanStatusCode.ERROR });
  });

  it('changes nothing after end, and end() twice is a diagnostic', () => {
    diagCapture = captureDiag();
    const { tracer, spans } = createTestProvider();
    const span = tracer.startSpan('name', { kind: SpanKind.SERVER });
    expect(span.isRecording()).toBe(true);
    span.end();
    const endTime = spans[0]!.endTime;
    span.setAttribute('late', 1);
    span.addEvent('late');
    span.addLink({ context: span.spanContext() });
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.updateName('renamed');
    span.recordException(new Error('late'));
    span.end();
    expect(span.isRecording()).toBe(false);
    expect(spans).toHaveLength(1);
    const finished = spans[0]!;
    expect(finished.name).toBe('name');
    expect(finished.kind).toBe(SpanKind.SERVER);
    expect(finished.attributes).toEqual({});
    expect(finished.events).toEqual([]);
    expect(finished.links).toEqual([]);
    expect(finished.status).toEqual({ code: SpanStatusCode.UNSET });
    expect(finished.endTime).toEqual(endTime);
    expect(diagCapture.text()).toMatch(/end\(\) called again/);
  });

  it('renames before end', () => {
    const { tracer, spans } = createTestProvider();
    tracer.startSpan('first').updateName('second').end();
    expect(spans[0]!.name).toBe('second');
  });

  it('accepts explicit start and end times at nanosecond resolution', () => {
    const { tracer, spans } = createTestProvider();
    const seconds = Math.floor(Date.now() / 1000);
    const span = tracer.startSpan('s', { startTime: [seconds, 1] });
    span.end([seconds + 2, 3]);
    expect(spans[0]!.startTime).toEqual([seconds, 1]);
    expect(spans[0]!.endTime).toEqual([seconds + 2, 3]);
    expect(spans[0]!.duration).toEqual([2, 2]);
  });

  it('replaces a non-finite HrTime (start, end, event) by now, as an invalid Date: never "NaN" times', () => {
    diagCapture = captureDiag();
    const { tracer, spans } = createTestProvider();
    // "now" on the SDK's own clock (its monotonic time anchored once to wall time, which may stand
    // a few milliseconds off Date.now() in a worker process)
    const clockNow = () => {
      const [s, n] = toHrTime(now());
      return s * 1000 + n / 1e6;
    };
    const before = clockNow();
    const hr = tracer.startSpan('hr', { startTime: [Number.NaN, 0] });
    hr.addEvent('e', [Number.POSITIVE_INFINITY, 0]);
    hr.addEvent('e', {}, [0, Number.NaN]);
    hr.end([Number.NaN, Number.NaN]);
    const date = tracer.startSpan('date', { startTime: new Date('x') });
    date.addEvent('e', new Date('x'));
    date.end(new Date('x'));
    const after = clockNow();
    for (const span of spans) {
      for (const [s, n] of [span.startTime, span.endTime, ...span.events.map((e) => e.time)]) {
        expect(Number.isInteger(s) && Number.isInteger(n)).toBe(true);
        expect(s * 1000 + n / 1e6).toBeGreaterThanOrEqual(before - 1);
        expect(s * 1000 + n / 1e6).toBeLessThanOrEqual(after + 1);
      }
    }
    expect(spans[0]!.events).toHaveLength(2);
    const warnings = diagCapture.messages.filter((m) => m.level === 'warn');
    expect(warnings.map((m) => m.message)).toEqual([
      'span "hr": invalid start time; using now',
      'span "hr": invalid end time; using now',
      'span "date": invalid start time; using now',
      'span "date": invalid end time; using now',
    ]);
  });

  it('clamps an end before the start to a zero duration', () => {
    diagCapture = captureDiag();
    const { tracer, spans } = createTestProvider();
    const seconds = Math.floor(Date.now() / 1000);
    tracer.startSpan('s', { startTime: [seconds, 0] }).end([seconds - 1, 0]);
    expect(spans[0]!.duration).toEqual([0, 0]);
  });

  it('times spans from a monotonic clock', async () => {
    const { tracer, spans } = createTestProvider();
    const span = tracer.startSpan('s');
    await new Promise((resolve) => setTimeout(resolve, 20));
    span.end();
    const [s, n] = spans[0]!.duration;
    expect(s * 1e3 + n / 1e6).toBeGreaterThanOrEqual(15);
  });
});

describe('recordException', () => {
  it('adds an exception event with the semantic-convention attributes', () => {
    const { tracer, spans } = createTestProvider();
    const span = tracer.startSpan('s');
    const error = new TypeError('bad input');
    span.recordException(error);
    span.recordException('just a message');
    span.recordException({ code: 'ECONNRESET', message: 'reset' });
    span.end();
    const [first, second, third] = spans[0]!.events;
    expect(first!.name).toBe('exception');
    expect(first!.attributes).toEqual({
      'exception.type': 'TypeError',
      'exception.message': 'bad input',
      'exception.stacktrace': error.stack,
    });
    expect(second!.attributes).toEqual({ 'exception.message': 'just a message' });
    expect(third!.attributes).toEqual({
      'exception.type': 'ECONNRESET',
      'exception.message': 'reset',
    });
  });

  it('types a DOMException by its name, not its legacy numeric code (exception.type: "The type of the exception")', () => {
    const { tracer, spans } = createTestProvider();
    const span = tracer.startSpan('s');
    // a DOMException's legacy code (20 for an AbortError; the edge runtime's DOMException has none)
    span.recordException(new DOMException('This operation was aborted', 'AbortError'));
    span.recordException({ name: 'TimeoutError', code: 23, message: 'timed out' });
    span.end();
    expect(spans[0]!.events.map((e) => e.attributes!['exception.type'])).toEqual([
      'AbortError',
      'TimeoutError',
    ]);
  });

  it('survives hostile values and records nothing for values without type or message', () => {
    diagCapture = captureDiag();
    const { tracer, spans } = createTestProvider();
    const span = tracer.startSpan('s');
    const hostile = {
      get message(): string {
        throw new Error('getter');
      },
      name: 'Hostile',
    };
    expect(() => span.recordException(hostile as never)).not.toThrow();
    expect(() => span.recordException(undefined as never)).not.toThrow();
    expect(() => span.recordException(42 as never)).not.toThrow();
    span.end();
    expect(spans[0]!.events).toHaveLength(1);
    expect(spans[0]!.events[0]!.attributes).toEqual({ 'exception.type': 'Hostile' });
  });
});

describe('span context and parents', () => {
  it('gives children the parent trace id and the parent span id', () => {
    const { tracer, spans } = createTestProvider();
    const parent = tracer.startSpan('parent');
    const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, parent));
    child.end();
    parent.end();
    const [c, p] = spans;
    expect(c!.spanContext().traceId).toBe(p!.spanContext().traceId);
    expect(c!.parentSpanContext?.spanId).toBe(p!.spanContext().spanId);
    expect(p!.parentSpanContext).toBeUndefined();
  });

  it('continues a remote parent, keeping its trace state and W3C flags', () => {
    const { tracer, spans } = createTestProvider();
    const remote = {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 0x03,
      isRemote: true,
    };
    tracer.startSpan('s', {}, trace.setSpanContext(ROOT_CONTEXT, remote)).end();
    const sc = spans[0]!.spanContext();
    expect(sc.traceId).toBe(remote.traceId);
    expect(sc.traceFlags).toBe(0x03);
    expect(spans[0]!.parentSpanContext).toEqual(remote);
  });

  it('sets the W3C Level 2 random flag on new root traces, and children keep it', () => {
    const { tracer, spans } = createTestProvider();
    const root = tracer.startSpan('root');
    tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root)).end();
    root.end();
    expect(spans.map((s) => s.spanContext().traceFlags)).toEqual([0x03, 0x03]);
  });

  it('starts a new trace with the root option', () => {
    const { tracer, spans } = createTestProvider();
    const parent = tracer.startSpan('parent');
    tracer.startSpan('root', { root: true }, trace.setSpan(ROOT_CONTEXT, parent)).end();
    expect(spans[0]!.parentSpanContext).toBeUndefined();
    expect(spans[0]!.spanContext().traceId).not.toBe(parent.spanContext().traceId);
  });

  it('carries resource and instrumentation scope', () => {
    const { provider, spans } = createTestProvider({ serviceName: 'checkout' });
    provider
      .getTracer('lib', '2.0.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' })
      .startSpan('s')
      .end();
    expect(spans[0]!.resource.attributes['service.name']).toBe('checkout');
    expect(spans[0]!.instrumentationScope).toEqual({
      name: 'lib',
      version: '2.0.0',
      schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
    });
  });
});
