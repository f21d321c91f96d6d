import type { TraceState } from '@opentelemetry/api';
import { createTraceState } from '../propagation/trace-state';

/**
 * The OpenTelemetry `ot` tracestate entry (TraceState: Probability Sampling): sub-keys as
 * `key:value` joined by `;`, of which `th` (the rejection threshold, 1–14 hex digits, trailing
 * zeros removed) and `rv` (an explicit randomness value, exactly 14 hex digits) matter here.
 */
const HEX14 = /^[0-9a-f]{14}$/;

function subKeys(value: string | undefined): string[] {
  return value ? value.split(';').filter((entry) => entry.length > 0) : [];
}

/** 1–14 hex digits of a 56-bit value (trailing zeros left out) as [high 24 bits, low 32 bits]. */
export function hexWords(hex: string): [number, number] {
  const padded = hex.padEnd(14, '0');
  return [Number.parseInt(padded.slice(0, 6), 16), Number.parseInt(padded.slice(6), 16)];
}

/** Whether randomness R meets threshold T (R ≥ T: sampled), both as [high 24, low 32] bits. */
export function meetsThreshold(rHigh: number, rLow: number, tHigh: number, tLow: number): boolean {
  return rHigh > tHigh || (rHigh === tHigh && rLow >= tLow);
}

/** The `rv` randomness as [high 24 bits, low 32 bits], when the entry carries a valid one. */
export function readRandomness(traceState: TraceState | undefined): [number, number] | undefined {
  const ot = traceState?.get('ot');
  if (ot === undefined) return undefined;
  for (const entry of subKeys(ot)) {
    if (!entry.startsWith('rv:')) continue;
    const rv = entry.slice(3);
    return HEX14.test(rv) ? hexWords(rv) : undefined;
  }
  return undefined;
}

/**
 * The `th` threshold as [high 24 bits, low 32 bits]: undefined when the entry has none, null when
 * it has one that is not 1–14 hex digits.
 */
export function readThreshold(
  traceState: TraceState | undefined,
): [number, number] | null | undefined {
  for (const entry of subKeys(traceState?.get('ot'))) {
    if (!entry.startsWith('th:')) continue;
    const th = entry.slice(3);
    return /^[0-9a-f]{1,14}$/.test(th) ? hexWords(th) : null;
  }
  return undefined;
}

/** The trace state with `th` set to `threshold` (or removed when undefined), other sub-keys kept. */
export function withThreshold(
  traceState: TraceState | undefined,
  threshold: string | undefined,
): TraceState | undefined {
  if (traceState === undefined && threshold === undefined) return undefined;
  const ot = traceState?.get('ot');
  const entries = subKeys(ot);
  const current = entries.find((entry) => entry.startsWith('th:'));
  // the same threshold: the entry is left as it is, in its place (W3C Trace Context: only
  // "Modified keys MUST be moved to the beginning"; "the order of unmodified key/value pairs MUST
  // be preserved")
  if (current === (threshold === undefined ? undefined : `th:${threshold}`)) return traceState;
  const others = entries.filter((entry) => !entry.startsWith('th:'));
  if (threshold !== undefined) others.unshift(`th:${threshold}`);
  if (others.length === 0) return traceState!.unset('ot');
  return (traceState ?? createTraceState()).set('ot', others.join(';'));
}

/**
 * The trace state with an `rv` of 56 random bits, unless it has one (trace/sdk.md, "Explicit
 * trace randomness": for a root whose trace id does not meet W3C Level 2's randomness, "the SDK
 * SHOULD insert an explicit trace randomness value … containing 56 random bits").
 */
export function withRandomness(
  traceState: TraceState | undefined,
  randomHex: string,
): TraceState | undefined {
  if (readRandomness(traceState) !== undefined) return traceState;
  const ot = traceState?.get('ot');
  const others = subKeys(ot).filter((entry) => !entry.startsWith('rv:'));
  return (traceState ?? createTraceState()).set('ot', [...others, `rv:${randomHex}`].join(';'));
}
