/** Retry-After dates where the local time zone is not UTC (a process may set TZ). */
import { afterEach, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-policy';

const zone = process.env.TZ;
afterEach(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

it.each(['Asia/Tokyo', 'America/New_York'])(
  'RFC 9110 §5.6.7: an asctime-date is GMT, whatever the local time zone (%s)',
  (tz) => {
    process.env.TZ = tz;
    const now = Date.UTC(1994, 10, 6, 8, 49, 30);
    expect(parseRetryAfter('Sun Nov  6 08:49:37 1994', now)).toBe(7000);
  },
);
