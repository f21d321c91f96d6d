/**
 * Tail sampling: the decision taken once, when a trace completes, to keep it or to drop it.
 */
export interface TailSamplingOptions {
  /** Keep every trace that has a span with ERROR status. Default true. */
  errors?: boolean;
  /** Keep every trace that lasts longer than this (earliest start to latest end), in ms. */
  slowerThanMs?: number;
  /** The share of the other traces to keep, 0 to 1, chosen by trace id. */
  ratio: number;
}

/** The resolved rules, with the ratio as a threshold on the trace id's 52 random bits. */
export interface TailSampler {
  readonly errors: boolean;
  readonly slowerThanMs: number;
  readonly threshold: number;
}

const TWO_TO_52 = 2 ** 52;

export function resolveTailSampling(
  options: TailSamplingOptions | undefined,
): TailSampler | undefined {
  if (options === undefined) return undefined;
  const { ratio, slowerThanMs } = options;
  if (typeof ratio !== 'number' || !(ratio >= 0 && ratio <= 1)) {
    throw new RangeError(`tailSampling.ratio must be a number from 0 to 1, got ${ratio}`);
  }
  if (slowerThanMs !== undefined && !(slowerThanMs >= 0)) {
    throw new RangeError(
      `tailSampling.slowerThanMs must be a non-negative number, got ${slowerThanMs}`,
    );
  }
  return {
    errors: options.errors ?? true,
    slowerThanMs: slowerThanMs ?? Number.POSITIVE_INFINITY,
    threshold: ratio * TWO_TO_52,
  };
}

/**
 * A trace id's position in [0, 2^52): its last 13 hex digits. W3C Trace Context level 2 makes the
 * rightmost 7 bytes of an id random, and OpenTelemetry's ratio samplers read the same bits, so a
 * trace sampled at ratio r upstream is kept here at any ratio ≥ r. Deterministic: a replayed
 * trace gets the same decision.
 */
export function traceIdRank(traceId: string): number {
  return Number.parseInt(traceId.slice(19), 16);
}

export function keepTrace(
  sampler: TailSampler,
  traceId: string,
  errorCount: number,
  duration: number,
): boolean {
  if (sampler.errors && errorCount > 0) return true;
  if (duration > sampler.slowerThanMs) return true;
  return traceIdRank(traceId) < sampler.threshold;
}
