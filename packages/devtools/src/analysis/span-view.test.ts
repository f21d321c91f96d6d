import { describe, expect, it } from 'vitest';
import { span } from '../../test/helpers/analysis-spans';
import type { StoredSpan } from '../model';
import { spanView } from './span-view';

describe('spanView', () => {
  it('shows kind and status as words, attributes as tags and events as logs', () => {
    const stored: StoredSpan = {
      ...span({ id: '00f067aa0ba902b7', parent: '53995c3f42cd8ad8', start: 1000.25, end: 1012.75 }),
      name: 'GET /api/cart',
      service: 'checkout',
      kind: 2,
      status: { code: 2, message: 'upstream timed out' },
      attributes: { 'http.route': '/api/cart', 'http.status_code': 504 },
      events: [{ time: 1005, name: 'exception', attributes: { 'exception.message': 'timeout' } }],
      resource: { 'service.name': 'checkout' },
      scope: { name: '@spanlite/next', version: '0.1.0' },
    };
    expect(spanView(stored)).toEqual({
      traceId: stored.traceId,
      spanId: '00f067aa0ba902b7',
      parentSpanId: '53995c3f42cd8ad8',
      service: 'checkout',
      operation: 'GET /api/cart',
      kind: 'server',
      startTime: 1000.25,
      duration: 12.5,
      status: 'error',
      statusMessage: 'upstream timed out',
      tags: { 'http.route': '/api/cart', 'http.status_code': 504 },
      logs: [{ timestamp: 1005, name: 'exception', fields: { 'exception.message': 'timeout' } }],
      resource: { 'service.name': 'checkout' },
      scope: { name: '@spanlite/next', version: '0.1.0' },
    });
  });

  it('shows links and the trace state where the span has them', () => {
    const linked = 'a'.repeat(32);
    const view = spanView({
      ...span({ id: 'l', start: 0, end: 1 }),
      links: [{ traceId: linked, spanId: 'b'.repeat(16), attributes: { 'messaging.batch': 1 } }],
      traceState: 'vendor=x',
    });
    expect(view.links).toEqual([
      { traceId: linked, spanId: 'b'.repeat(16), fields: { 'messaging.batch': 1 } },
    ]);
    expect(view.traceState).toBe('vendor=x');
    const plain = spanView(span({ id: 'p', start: 0, end: 1 }));
    expect(plain).not.toHaveProperty('links');
    expect(plain).not.toHaveProperty('traceState');
  });

  it('shows a root with a null parent, and no statusMessage without a message', () => {
    const view = spanView({ ...span({ id: 'r', start: 0, end: 1 }), status: { code: 1 } });
    expect(view.parentSpanId).toBeNull();
    expect(view.status).toBe('ok');
    expect(view).not.toHaveProperty('statusMessage');
  });

  it('names every span kind and status code', () => {
    const kinds = ([0, 1, 2, 3, 4, 5] as const).map(
      (kind) => spanView({ ...span({ id: 'x', start: 0, end: 1 }), kind }).kind,
    );
    expect(kinds).toEqual(['unspecified', 'internal', 'server', 'client', 'producer', 'consumer']);
    const statuses = ([0, 1, 2] as const).map(
      (code) => spanView({ ...span({ id: 'x', start: 0, end: 1 }), status: { code } }).status,
    );
    expect(statuses).toEqual(['unset', 'ok', 'error']);
  });

  it('shows a kind or status code OTLP does not define as unknown', () => {
    for (const number of [3, 6, 9, -1, 2 ** 31 - 1]) {
      const view = spanView({
        ...span({ id: 'x', start: 0, end: 1 }),
        kind: number === 3 ? 6 : number,
        status: { code: number, message: 'm' },
      });
      expect(view).toMatchObject({ kind: 'unknown', status: 'unknown', statusMessage: 'm' });
    }
  });
});
