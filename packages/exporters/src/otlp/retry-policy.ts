/** How failed exports are retried: OTel's OTLP exporter defaults, all overridable. */
export interface RetryPolicy {
  /** Attempts in all, the first included. Default 5. */
  readonly maxAttempts: number;
  /** Delay before the first retry. Default 1000 ms. */
  readonly initialBackoffMillis: number;
  /** Upper bound of any computed delay. Default 5000 ms. */
  readonly maxBackoffMillis: number;
  /** Growth of the delay per retry. Default 1.5. */
  readonly backoffMultiplier: number;
  /** Relative jitter: the delay is spread uniformly over ±jitter of itself. Default 0.2. */
  readonly jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  initialBackoffMillis: 1000,
  maxBackoffMillis: 5000,
  backoffMultiplier: 1.5,
  jitter: 0.2,
};

/**
 * The delay before retry number `retry` (1 for the first retry): exponential, capped, then
 * jittered with `random()` in [0, 1) (0.5 gives the un-jittered delay).
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const base = Math.min(
    policy.initialBackoffMillis * policy.backoffMultiplier ** (retry - 1),
    policy.maxBackoffMillis,
  );
  return Math.max(0, base * (1 + policy.jitter * (2 * random() - 1)));
}

/**
 * A `Retry-After` header as milliseconds from `now`: delta-seconds or an HTTP date (RFC 9110
 * §10.2.3). Undefined when absent or unreadable, so that the computed backoff applies instead.
 */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  // Only an HTTP date's three forms: Date.parse alone reads "-5" or "Mon 5" as a date in 2001 (a
  // retry at once) and "Fri 99999" as one in the year 99999 (the batch dropped at once).
  if (!HTTP_DATE.test(value)) return undefined;
  // An asctime-date has no zone, and is GMT too: Date.parse would take it as local time.
  const date = Date.parse(/\d$/.test(value) ? `${value} GMT` : value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * RFC 9110 §5.6.7 HTTP-date, any letter case: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the
 * obsolete RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`).
 */
const HTTP_DATE =
  /^[a-z]{3}(?:, \d\d [a-z]{3} \d{4} \d\d:\d\d:\d\d GMT|[a-z]{3,6}, \d\d-[a-z]{3}-\d\d \d\d:\d\d:\d\d GMT| [a-z]{3} [ \d]\d \d\d:\d\d:\d\d \d{4})$/i;

/** HTTP statuses that OTLP/HTTP says to retry; network errors are retried too. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}
