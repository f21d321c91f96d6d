import type { Attributes, StoredSpan } from '../../src/model';

/** A trace id from a number: its last 13 hex digits (the ones tail sampling ranks) are `rank`. */
export function traceIdOf(n: number, rank = n): string {
  return `${n.toString(16).padStart(19, '0')}${rank.toString(16).padStart(13, '0')}`;
}

export function spanIdOf(n: number): string {
  return (n + 1).toString(16).padStart(16, '0');
}

const resource: Attributes = { 'service.name': 'checkout', 'telemetry.sdk.name': 'spanlite' };
const scope = { name: '@spanlite/next', version: '0.1.0' };

export function makeSpan(
  traceId: string,
  spanNumber: number,
  fields: Partial<StoredSpan> = {},
): StoredSpan {
  return {
    traceId,
    spanId: spanIdOf(spanNumber),
    parentSpanId: spanNumber === 0 ? undefined : spanIdOf(0),
    name: `op-${spanNumber}`,
    kind: 2,
    startTime: 1_763_900_000_000 + spanNumber,
    endTime: 1_763_900_000_010 + spanNumber,
    status: { code: 0 },
    service: 'checkout',
    attributes: { 'http.route': '/api/cart', 'http.status_code': 200 },
    events: [],
    links: [],
    resource,
    scope,
    ...fields,
  };
}

/** A clock the test moves by hand. */
export function manualClock(start = 1_000_000): {
  now: () => number;
  advance: (ms: number) => void;
} {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}
