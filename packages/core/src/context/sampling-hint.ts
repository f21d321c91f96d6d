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

// The local roots a debug hint started (rare: B3's `b3: d` without ids), for the B3 propagator to
// send the debug flag on with their trace.
const debugRoots = new WeakSet<object>();

export function markDebugRoot(span: object): void {
  debugRoots.add(span);
}

/**
 * Whether `root` (a local root, see `localRootOf`) was started by a debug sampling hint, so that
 * its trace carries the debug flag that arrived without a trace id.
 */
export function isDebugRoot(root: object | undefined): boolean {
  return root !== undefined && debugRoots.has(root);
}
