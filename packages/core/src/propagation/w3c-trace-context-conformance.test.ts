import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  type SpanContext,
  trace,
} from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { TracerProvider } from '../trace/tracer-provider';
import { W3CTraceContextPropagator } from './w3c-trace-context-propagator';

/*
 * The cases of the W3C Trace Context test harness (w3c/trace-context, test/test.py,
 * `TraceContextTest`), replayed in process: the "request" is a carrier holding the harness's
 * header lines (a repeated header name becomes several lines, as Node's `IncomingMessage` and
 * the edge adapters hand them over), the "service" extracts, starts a span under the result and
 * injects into an outgoing carrier, which is what the harness inspects. Header-name casing is the
 * getter's concern and is not replayed here.
 *
 * Where the harness's strict tracestate key checks predate the Level 2 key grammar
 * (`key = ( lcalpha / DIGIT ) 0*255 ( keychar )`, `@` a plain keychar), Level 2 is followed and
 * the difference is named at the case.
 */

const TRACE_ID = '12345678901234567890123456789012';
const PARENT_ID = '1234567890123456';
const VALID = `00-${TRACE_ID}-${PARENT_ID}-01`;

const propagator = new W3CTraceContextPropagator();
const tracer = new TracerProvider().getTracer('conformance');

interface Outgoing {
  traceparent: string;
  tracestate: string | undefined;
  /** What a downstream service reads of the outgoing tracestate. */
  state: Map<string, string>;
}

function request(lines: ReadonlyArray<readonly [string, string]>): Outgoing {
  const incoming: Record<string, string | string[]> = {};
  for (const [name, value] of lines) {
    const seen = incoming[name];
    incoming[name] = seen === undefined ? value : [...[seen].flat(), value];
  }
  const context = propagator.extract(ROOT_CONTEXT, incoming, defaultTextMapGetter);
  const span = tracer.startSpan('handler', {}, context);
  const outgoing: Record<string, string> = {};
  propagator.inject(trace.setSpan(context, span), outgoing, defaultTextMapSetter);
  span.end();
  const traceparent = outgoing.traceparent;
  expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]$/);
  const state = new Map<string, string>();
  for (const member of outgoing.tracestate?.split(',') ?? []) {
    const eq = member.indexOf('=');
    state.set(member.slice(0, eq), member.slice(eq + 1));
  }
  return { traceparent: traceparent!, tracestate: outgoing.tracestate, state };
}

const traceIdOf = (out: Outgoing) => out.traceparent.slice(3, 35);
const parentIdOf = (out: Outgoing) => out.traceparent.slice(36, 52);

function extracted(lines: ReadonlyArray<readonly [string, string]>): SpanContext | undefined {
  const incoming: Record<string, string | string[]> = {};
  for (const [name, value] of lines) {
    const seen = incoming[name];
    incoming[name] = seen === undefined ? value : [...[seen].flat(), value];
  }
  return trace.getSpanContext(propagator.extract(ROOT_CONTEXT, incoming, defaultTextMapGetter));
}

describe('W3C Trace Context test harness: traceparent', () => {
  it('test_both_traceparent_and_tracestate_missing: starts a trace', () => {
    expect(extracted([])).toBeUndefined();
    request([]);
  });

  it('test_traceparent_included_tracestate_missing: continues the trace with a new parent-id', () => {
    const out = request([['traceparent', VALID]]);
    expect(traceIdOf(out)).toBe(TRACE_ID);
    expect(parentIdOf(out)).not.toBe(PARENT_ID);
  });

  it('test_traceparent_duplicated: two traceparent headers restart the trace', () => {
    const out = request([
      ['traceparent', `00-12345678901234567890123456789011-${PARENT_ID}-01`],
      ['traceparent', `00-12345678901234567890123456789012-${PARENT_ID}-01`],
    ]);
    expect(traceIdOf(out)).not.toBe('12345678901234567890123456789011');
    expect(traceIdOf(out)).not.toBe('12345678901234567890123456789012');
    // The same two lines folded into one field value (RFC 7230 §3.2.2), and a repeated one.
    expect(extracted([['traceparent', `${VALID},${VALID}`]])).toBeUndefined();
    expect(extracted([['traceparent', `${VALID}, ${VALID}`]])).toBeUndefined();
    expect(
      extracted([
        ['traceparent', VALID],
        ['traceparent', VALID],
      ]),
    ).toBeUndefined();
    const future = `cc-${TRACE_ID}-${PARENT_ID}-01`;
    expect(extracted([['traceparent', `${future},${future}`]])).toBeUndefined();
  });

  it.each([
    ['test_traceparent_version_0x00 (extra trailing character)', `${VALID}.`],
    [
      'test_traceparent_version_0x00 (version 00 with more fields)',
      `${VALID}-what-the-future-will-be-like`,
    ],
    [
      'test_traceparent_version_0xcc (flags not followed by a dash)',
      `cc-${TRACE_ID}-${PARENT_ID}-01.what-the-future-will-be-like`,
    ],
    ['test_traceparent_version_0xff', `ff-${TRACE_ID}-${PARENT_ID}-01`],
    ['test_traceparent_version_illegal_characters (.0)', `.0-${TRACE_ID}-${PARENT_ID}-01`],
    ['test_traceparent_version_illegal_characters (0.)', `0.-${TRACE_ID}-${PARENT_ID}-01`],
    ['test_traceparent_version_too_long (000)', `000-${TRACE_ID}-${PARENT_ID}-01`],
    ['test_traceparent_version_too_long (0000)', `0000-${TRACE_ID}-${PARENT_ID}-01`],
    ['test_traceparent_version_too_short', `0-${TRACE_ID}-${PARENT_ID}-01`],
    ['test_traceparent_trace_id_all_zero', `00-${'0'.repeat(32)}-${PARENT_ID}-01`],
    [
      'test_traceparent_trace_id_illegal_characters (first)',
      `00-.${TRACE_ID.slice(1)}-${PARENT_ID}-01`,
    ],
    [
      'test_traceparent_trace_id_illegal_characters (last)',
      `00-${TRACE_ID.slice(0, 31)}.-${PARENT_ID}-01`,
    ],
    ['test_traceparent_trace_id_too_long', `00-${TRACE_ID}3-${PARENT_ID}-01`],
    ['test_traceparent_trace_id_too_short', `00-${TRACE_ID.slice(0, 31)}-${PARENT_ID}-01`],
    ['test_traceparent_parent_id_all_zero', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    [
      'test_traceparent_parent_id_illegal_characters (first)',
      `00-${TRACE_ID}-.${PARENT_ID.slice(1)}-01`,
    ],
    [
      'test_traceparent_parent_id_illegal_characters (last)',
      `00-${TRACE_ID}-${PARENT_ID.slice(0, 15)}.-01`,
    ],
    ['test_traceparent_parent_id_too_long', `00-${TRACE_ID}-${PARENT_ID}7-01`],
    ['test_traceparent_parent_id_too_short', `00-${TRACE_ID}-${PARENT_ID.slice(0, 15)}-01`],
    ['test_traceparent_trace_flags_illegal_characters (.0)', `00-${TRACE_ID}-${PARENT_ID}-.0`],
    ['test_traceparent_trace_flags_illegal_characters (0.)', `00-${TRACE_ID}-${PARENT_ID}-0.`],
    ['test_traceparent_trace_flags_too_long', `00-${TRACE_ID}-${PARENT_ID}-001`],
    ['test_traceparent_trace_flags_too_short', `00-${TRACE_ID}-${PARENT_ID}-1`],
    ['uppercase hex ("HEXDIGLC")', `00-${'ABCDEF'.repeat(5)}AB-${PARENT_ID}-01`],
  ])('%s: restarts the trace', (_case, value) => {
    expect(extracted([['traceparent', value]])).toBeUndefined();
    const out = request([['traceparent', value]]);
    expect(traceIdOf(out)).not.toBe(TRACE_ID);
  });

  it('test_traceparent_version_0xcc: parses a future version by the versioning rules', () => {
    for (const value of [
      `cc-${TRACE_ID}-${PARENT_ID}-01`,
      `cc-${TRACE_ID}-${PARENT_ID}-01-what-the-future-will-be-like`,
    ]) {
      expect(traceIdOf(request([['traceparent', value]]))).toBe(TRACE_ID);
    }
  });

  it.each([
    ['leading space', ` ${VALID}`],
    ['leading tab', `\t${VALID}`],
    ['trailing space', `${VALID} `],
    ['trailing tab', `${VALID}\t`],
    ['both', `\t ${VALID} \t`],
  ])('test_traceparent_ows_handling (%s): continues the trace', (_case, value) => {
    expect(traceIdOf(request([['traceparent', value]]))).toBe(TRACE_ID);
  });

  it('"trace-flags": keeps the Level 2 random flag of version 00 for the continued trace', () => {
    const out = request([['traceparent', `00-${TRACE_ID}-${PARENT_ID}-02`]]);
    expect(Number.parseInt(out.traceparent.slice(53), 16) & 0x02).toBe(0x02);
  });
});

describe('W3C Trace Context test harness: tracestate', () => {
  const parent = ['traceparent', `00-${TRACE_ID}-${PARENT_ID}-00`] as const;

  it('test_tracestate_included_traceparent_missing: discards tracestate without traceparent', () => {
    expect(extracted([['tracestate', 'foo=1']])).toBeUndefined();
    expect(request([['tracestate', 'foo=1']]).state.size).toBe(
      request([['tracestate', 'foo=1,bar=2']]).state.size,
    );
  });

  it('test_tracestate_included_traceparent_included: inherits the tracestate', () => {
    const out = request([parent, ['tracestate', 'foo=1,bar=2']]);
    expect(traceIdOf(out)).toBe(TRACE_ID);
    expect(out.state.get('foo')).toBe('1');
    expect(out.state.get('bar')).toBe('2');
  });

  it('test_tracestate_empty_header: accepts an empty tracestate and sends none', () => {
    const empty = request([parent, ['tracestate', '']]);
    expect(traceIdOf(empty)).toBe(TRACE_ID);
    expect(empty.tracestate).toBeUndefined();
    for (const lines of [
      ['foo=1', ''],
      ['', 'foo=1'],
    ]) {
      const out = request([parent, ...lines.map((line) => ['tracestate', line] as const)]);
      expect(traceIdOf(out)).toBe(TRACE_ID);
      expect(out.state.get('foo')).toBe('1');
    }
  });

  it('test_tracestate_multiple_headers_different_keys: combines the lines in order', () => {
    const out = request([
      parent,
      ['tracestate', 'foo=1,bar=2'],
      ['tracestate', 'rojo=1,congo=2'],
      ['tracestate', 'baz=3'],
    ]);
    expect(out.tracestate).toBe('foo=1,bar=2,rojo=1,congo=2,baz=3');
  });

  it.each([
    ['foo=1,foo=1', ['foo=1,foo=1']],
    ['foo=1,foo=2', ['foo=1,foo=2']],
    ['foo=1 / foo=1 (two lines)', ['foo=1', 'foo=1']],
    ['foo=1 / foo=2 (two lines)', ['foo=1', 'foo=2']],
  ])('test_tracestate_duplicated_keys (%s): discards the tracestate', (_case, lines) => {
    const out = request([parent, ...lines.map((line) => ['tracestate', line] as const)]);
    expect(traceIdOf(out)).toBe(TRACE_ID);
    expect(out.state.has('foo')).toBe(false);
  });

  it('test_tracestate_all_allowed_characters: inherits every legal key and value character', () => {
    const key = `abcdefghijklmnopqrstuvwxyz0123456789_-*/`;
    let value = '';
    for (let c = 0x20; c <= 0x7e; c++)
      if (c !== 0x2c && c !== 0x3d) value += String.fromCharCode(c);
    for (const k of [key, `${key}@a-z0-9_-*/`]) {
      const out = request([parent, ['tracestate', `${k}=${value}`]]);
      expect(out.state.get(k)).toBe(value);
    }
  });

  it.each([['foo=1 \t , \t bar=2, \t baz=3'], ['foo=1\t \t,\t \tbar=2,\t \tbaz=3']])(
    'test_tracestate_ows_handling (%j): ignores OWS around members',
    (header) => {
      const out = request([parent, ['tracestate', header]]);
      expect(Object.fromEntries(out.state)).toEqual({ foo: '1', bar: '2', baz: '3' });
    },
  );

  it.each([[' foo=1'], ['\tfoo=1'], ['foo=1 '], ['foo=1\t'], ['\t foo=1 \t']])(
    'test_tracestate_ows_handling (%j): keeps the member without its OWS',
    (header) => {
      const out = request([parent, ['tracestate', header]]);
      expect(traceIdOf(out)).toBe(TRACE_ID);
      expect(out.tracestate).toBe('foo=1');
    },
  );

  it.each([['foo =1'], ['FOO=1'], ['foo.bar=1']])(
    'test_tracestate_key_illegal_characters (%j): discards the tracestate',
    (header) => {
      const out = request([parent, ['tracestate', `${header},bar=2`]]);
      expect(traceIdOf(out)).toBe(TRACE_ID);
      expect(out.tracestate).toBeUndefined();
    },
  );

  it('test_tracestate_key_illegal_vendor_format: a key starting with @ discards the tracestate', () => {
    expect(request([parent, ['tracestate', '@foo=1,bar=2']]).tracestate).toBeUndefined();
  });

  it('Level 2 "Key": @ is a plain keychar, where the harness still applies the Level 1 tenant@system split', () => {
    // The harness's strict test_tracestate_key_illegal_vendor_format and
    // test_tracestate_key_length_limit reject these; the Level 2 grammar admits them.
    for (const key of [
      'foo@',
      'foo@@bar',
      'foo@bar@baz',
      `${'t'.repeat(242)}@v`,
      `t@${'v'.repeat(15)}`,
    ]) {
      expect(request([parent, ['tracestate', `${key}=1,bar=2`]]).state.get('bar')).toBe('2');
    }
  });

  it('test_tracestate_member_count_limit: 32 members pass, 33 discard the tracestate', () => {
    const members = Array.from(
      { length: 33 },
      (_, i) => `bar${String(i + 1).padStart(2, '0')}=${String(i + 1).padStart(2, '0')}`,
    );
    const lines = (count: number) => {
      const taken = members.slice(0, count);
      return [0, 10, 20, 30].map(
        (at) => ['tracestate', taken.slice(at, at + 10).join(',')] as const,
      );
    };
    const kept = request([parent, ...lines(32)]);
    expect(kept.state.get('bar01')).toBe('01');
    expect(kept.state.size).toBe(32);
    expect(request([parent, ...lines(33)]).state.has('bar01')).toBe(false);
  });

  it('test_tracestate_key_length_limit: a key of 256 passes, 257 discards the tracestate', () => {
    expect(
      request([parent, ['tracestate', 'foo=1'], ['tracestate', `${'z'.repeat(256)}=1`]]).state.get(
        'foo',
      ),
    ).toBe('1');
    expect(
      request([parent, ['tracestate', 'foo=1'], ['tracestate', `${'z'.repeat(257)}=1`]]).state.has(
        'foo',
      ),
    ).toBe(false);
    const tenant = `${'t'.repeat(241)}@${'v'.repeat(14)}`;
    expect(
      request([parent, ['tracestate', 'foo=1'], ['tracestate', `${tenant}=1`]]).state.get('foo'),
    ).toBe('1');
  });

  it.each([
    ['foo=bar=baz', 'foo'],
    ['foo=,bar=3', 'bar'],
  ])('test_tracestate_value_illegal_characters (%j): discards the tracestate', (header, key) => {
    const out = request([parent, ['tracestate', header]]);
    expect(out.state.has(key)).toBe(false);
    expect(out.state.has('foo')).toBe(false);
  });
});
