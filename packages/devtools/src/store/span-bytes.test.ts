import { describe, expect, it } from 'vitest';
import { makeSpan, traceIdOf } from '../../test/store/make-span';
import { encodeRecord, scanFrames } from './log-record';
import { estimateSpanBytes } from './span-bytes';

describe('estimateSpanBytes', () => {
  const span = makeSpan(traceIdOf(1), 1, {
    attributes: { 'http.route': '/api/cart', nested: { list: [1, 'two', true, null] } },
    events: [{ time: 1, name: 'exception', attributes: { 'exception.message': 'boom' } }],
    links: [{ traceId: traceIdOf(2), spanId: '00000000000000aa', attributes: {} }],
    status: { code: 2, message: 'failed' },
    flags: 0x301,
    droppedAttributesCount: 12,
    droppedLinksCount: 1,
  });

  it('grows with the content a span holds', () => {
    const base = estimateSpanBytes(span);
    const longer = {
      ...span,
      attributes: { ...span.attributes, 'db.statement': 'x'.repeat(1000) },
    };
    expect(estimateSpanBytes(longer)).toBeGreaterThan(base + 1000);
    expect(
      estimateSpanBytes({ ...span, events: [...span.events, ...span.events] }),
    ).toBeGreaterThan(base);
    expect(estimateSpanBytes({ ...span, name: `${span.name}!` })).toBe(base + 1);
  });

  it('gives a span replayed from the log the same estimate', () => {
    let replayed = span;
    scanFrames(encodeRecord([span], 0, [0]), (record) => {
      replayed = record.spans[0];
    });
    expect(replayed).not.toBe(span);
    expect(replayed).toEqual(span);
    expect(estimateSpanBytes(replayed)).toBe(estimateSpanBytes(span));
  });

  it('does not count the shared resource again for each span', () => {
    const bigResource = { ...span.resource, 'process.command_args': 'x'.repeat(10_000) };
    expect(estimateSpanBytes({ ...span, resource: bigResource })).toBe(estimateSpanBytes(span));
  });
});
