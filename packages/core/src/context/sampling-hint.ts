import { type Context, createContextKey } from '@opentelemetry/api';

/**
 * A sampling decision that arrived without a parent span, such as B3's sampling-only header
 * (`b3: 1`, `b3: 0`, `b3: d`). The next span started in this context, having no parent, takes
 * this decision instead of asking the root sampler, and a debug hint also forces it on.
 */
export interface SamplingHint {
  readonly sampled: boolean;
  readonly debug?: boolean;
}

const SAMPLING_HINT_KEY = createContextKey('spanlite sampling hint');

export function setSamplingHint(context: Context, hint: SamplingHint): Context {
  return context.setValue(SAMPLING_HINT_KEY, hint);
}

export function getSamplingHint(context: Context): SamplingHint | undefined {
  return context.getValue(SAMPLING_HINT_KEY) as SamplingHint | undefined;
}
