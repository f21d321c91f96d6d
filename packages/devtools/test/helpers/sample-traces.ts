/**
 * Hand-built traces with known answers, for the server tests. Times are offsets in ms from
 * `BASE` (a fixed epoch ms); each trace starts at its own `at`.
 */
import type { SimpleSpan } from './otlp-bodies';

export const BASE = 1_763_900_000_000;

type Spec = Omit<SimpleSpan, 'traceId' | 'start' | 'end'> & { from: number; to: number };

function traceOf(traceId: string, at: number, specs: Spec[]): SimpleSpan[] {
  return specs.map(({ from, to, ...span }) => ({
    ...span,
    traceId,
    start: BASE + at + from,
    end: BASE + at + to,
  }));
}

/**
 * Sequential work, no concurrency: own time and wall-clock share agree.
 * gateway GET /checkout 0–100 (ok)
 * ├─ cart load cart 5–13
 * └─ inventory reserve 30–90
 *    └─ db UPDATE stock 40–85 (error, with an exception log)
 * Own time: gateway 100 − 8 − 60 = 32, cart 8, inventory 60 − 45 = 15, db 45.
 */
export const CHECKOUT_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
export const CHECKOUT = traceOf(CHECKOUT_TRACE_ID, 0, [
  {
    spanId: '00f067aa0ba902b7',
    service: 'gateway',
    name: 'GET /checkout',
    kind: 2,
    from: 0,
    to: 100,
    status: { code: 1 },
    attributes: { 'http.route': '/checkout', 'http.status_code': 200 },
  },
  {
    spanId: '1000000000000001',
    parentSpanId: '00f067aa0ba902b7',
    service: 'cart',
    name: 'load cart',
    kind: 3,
    from: 5,
    to: 13,
  },
  {
    spanId: '1000000000000002',
    parentSpanId: '00f067aa0ba902b7',
    service: 'inventory',
    name: 'reserve',
    from: 30,
    to: 90,
    attributes: { items: 3 },
  },
  {
    spanId: '1000000000000003',
    parentSpanId: '1000000000000002',
    service: 'db',
    name: 'UPDATE stock',
    kind: 3,
    from: 40,
    to: 85,
    status: { code: 2, message: 'deadlock detected' },
    attributes: { 'db.system': 'postgresql', retried: true, ratio: 0.25 },
    events: [
      { at: BASE + 84.5, name: 'exception', attributes: { 'exception.message': 'deadlock' } },
    ],
  },
]);

/**
 * Concurrent children.
 * api GET /feed 0–100
 * ├─ users fetch user 10–60
 * ├─ posts fetch posts 10–90
 * │  ├─ postgres SELECT posts 20–50
 * │  └─ redis set 50–85
 * └─ api render 60–70
 * Critical path: api GET /feed → posts fetch posts (ends last, at 90) → postgres SELECT posts →
 * redis set (sequential within posts); users and render run alongside posts.
 * Wall-clock shares (each instant split among the running spans with no running child):
 * 0–10 api 10; 10–20 users, posts 5 each; 20–50 users, postgres 15 each; 50–60 users, redis 5
 * each; 60–70 render, redis 5 each; 70–85 redis 15; 85–90 posts 5; 90–100 api 10.
 * Per service: api 20 + 5 = 25, users 25, posts 10, postgres 15, redis 25.
 */
export const FEED_TRACE_ID = '5bf92f3577b34da6a3ce929d0e0e4736';
export const FEED = traceOf(FEED_TRACE_ID, 1000, [
  { spanId: '2000000000000001', service: 'api', name: 'GET /feed', kind: 2, from: 0, to: 100 },
  {
    spanId: '2000000000000002',
    parentSpanId: '2000000000000001',
    service: 'users',
    name: 'fetch user',
    from: 10,
    to: 60,
  },
  {
    spanId: '2000000000000003',
    parentSpanId: '2000000000000001',
    service: 'posts',
    name: 'fetch posts',
    from: 10,
    to: 90,
  },
  {
    spanId: '2000000000000004',
    parentSpanId: '2000000000000003',
    service: 'postgres',
    name: 'SELECT posts',
    from: 20,
    to: 50,
  },
  {
    spanId: '2000000000000005',
    parentSpanId: '2000000000000003',
    service: 'redis',
    name: 'set',
    from: 50,
    to: 85,
  },
  {
    spanId: '2000000000000006',
    parentSpanId: '2000000000000001',
    service: 'api',
    name: 'render',
    from: 60,
    to: 70,
  },
]);

/** cart GET /cart 0–5 with a child inventory `load cart` 1–4: the names of CHECKOUT's cart span, on two spans. */
export const CART_TRACE_ID = '6bf92f3577b34da6a3ce929d0e0e4736';
export const CART = traceOf(CART_TRACE_ID, 2000, [
  { spanId: '3000000000000001', service: 'cart', name: 'GET /cart', kind: 2, from: 0, to: 5 },
  {
    spanId: '3000000000000002',
    parentSpanId: '3000000000000001',
    service: 'inventory',
    name: 'load cart',
    from: 1,
    to: 4,
  },
]);

/** payments charge 0–500, in error. */
export const CHARGE_TRACE_ID = '7bf92f3577b34da6a3ce929d0e0e4736';
export const CHARGE = traceOf(CHARGE_TRACE_ID, 3000, [
  {
    spanId: '4000000000000001',
    service: 'payments',
    name: 'charge',
    kind: 2,
    from: 0,
    to: 500,
    status: { code: 2, message: 'card declined' },
  },
]);
