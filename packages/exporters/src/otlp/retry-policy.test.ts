import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-policy';

// RFC 9110 §5.6.7: "A recipient that parses a timestamp value in an HTTP field MUST accept all
// three HTTP-date formats", each of them in GMT.
describe('parseRetryAfter: the three HTTP-date formats of RFC 9110 §5.6.7', () => {
  const now = Date.UTC(1994, 10, 6, 8, 49, 30);

  it.each([
    ['IMF-fixdate', 'Sun, 06 Nov 1994 08:49:37 GMT'],
    ['obsolete RFC 850', 'Sunday, 06-Nov-94 08:49:37 GMT'],
    ['obsolete asctime', 'Sun Nov  6 08:49:37 1994'],
  ])('reads the %s form', (_form, value) => {
    expect(parseRetryAfter(value, now)).toBe(7000);
  });

  it('reads a date already past as no wait', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:00 GMT', now)).toBe(0);
  });

  it.each([
    'Mon 5',
    'Mon, 5',
    'Fri 99999',
    'Sun, 06 Nov 1994',
    'Sun, 06 Nov 1994 08:49:37',
    'Sun, 06 Nov 1994 08:49:37 +0900',
    'Sun, 06 Foo 1994 08:49:37 GMT',
  ])('reads %j as no date (the computed backoff applies)', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});
