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
 * A `Retry-After` header as milliseconds from `now`: delta-seconds or an HTTP date. Undefined when
 * absent or unreadable, so that the computed backoff applies instead.
 */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  // An HTTP date (IMF-fixdate, RFC 850 or asctime: RFC 9110 §5.6.7) starts with the day's name;
  // Date.parse would also read "-5" or "+5" as a date in 2001, and the retry would come at once.
  if (!/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)/i.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** HTTP statuses that OTLP/HTTP says to retry; network errors are retried too. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}
