import { diag, type TextMapPropagator } from '@opentelemetry/api';
import {
  CompositePropagator,
  type EnvSource,
  processEnv,
  readEnvText,
  reportEnv,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@spanlite/core';
import { B3Propagator } from './b3-propagator';

/** The names `OTEL_PROPAGATORS` may list that spanlite implements. */
export type PropagatorName = 'tracecontext' | 'baggage' | 'b3' | 'b3multi' | 'none';

const DEFAULT_PROPAGATORS = 'tracecontext,baggage';

function createNamed(name: string): TextMapPropagator | undefined {
  switch (name) {
    case 'tracecontext':
      return new W3CTraceContextPropagator();
    case 'baggage':
      return new W3CBaggagePropagator();
    case 'b3':
      return new B3Propagator({ injectEncoding: 'single' });
    case 'b3multi':
      return new B3Propagator({ injectEncoding: 'multi' });
    default:
      return undefined;
  }
}

/**
 * The propagator `OTEL_PROPAGATORS` asks for (OpenTelemetry SDK environment variables): a
 * comma-separated list of `tracecontext`, `baggage`, `b3` (single header), `b3multi`, or `none`;
 * unset or blank means `tracecontext,baggage`, and so, with a warning, does a value of commas alone.
 * Names are trimmed and matched ignoring case, repeated names count once, empty ones are skipped,
 * unknown ones are skipped with a warning that shows them as written, and `none` anywhere in the
 * list turns propagation off. A list of nothing but unknown names is ignored with a warning, as the
 * specification asks of an enum value it does not recognise, so the default applies. Several names
 * make a composite in the order listed, so on extract the last one that finds a span context wins.
 * `env` defaults to `process.env` where there is one.
 */
export function propagatorFromEnv(env: EnvSource | undefined = processEnv()): TextMapPropagator {
  const raw = env === undefined ? undefined : readEnvText(env, 'OTEL_PROPAGATORS');
  // Reported once for this environment, however often it is read (core's reportEnv).
  const warn = (message: string) => reportEnv(env!, message);
  if (typeof raw === 'string' && /[^\s,]/.test(raw)) return fromNames(raw.split(','), warn);
  // Commas alone name no propagator: a mistake (an empty template variable, say), not a request to
  // turn propagation off, which is `none`.
  if (typeof raw === 'string' && raw.trim() !== '')
    warn(`spanlite: OTEL_PROPAGATORS="${raw}" names no propagator; using ${DEFAULT_PROPAGATORS}`);
  return fromNames(DEFAULT_PROPAGATORS.split(','), warn);
}

/** The composite of the named propagators, by the rules of {@link propagatorFromEnv}. */
export function propagatorFromNames(names: readonly string[]): TextMapPropagator {
  return fromNames(names, diag.warn);
}

function fromNames(names: readonly string[], warn: (message: string) => void): TextMapPropagator {
  const seen = new Set<string>();
  const propagators: TextMapPropagator[] = [];
  for (const rawName of names) {
    const given = String(rawName).trim();
    const name = given.toLowerCase();
    if (name === '' || seen.has(name)) continue;
    seen.add(name);
    if (name === 'none') continue;
    const propagator = createNamed(name);
    // The name as the user wrote it (environment variables: "SHOULD display the original
    // user-provided value").
    if (propagator === undefined)
      warn(`spanlite: OTEL_PROPAGATORS names "${given}", which spanlite does not provide; skipped`);
    else propagators.push(propagator);
  }
  if (seen.has('none')) {
    if (propagators.length > 0)
      warn('spanlite: OTEL_PROPAGATORS lists "none" with other propagators; propagation is off');
    return new CompositePropagator({ propagators: [] });
  }
  if (propagators.length === 0 && seen.size > 0) {
    // Only unknown names. Environment variables, "Enum value": "MUST generate a warning and
    // gracefully ignore the setting", that is, do as if it were unset; propagation off is `none`.
    warn(
      `spanlite: OTEL_PROPAGATORS names no propagator spanlite provides; using ${DEFAULT_PROPAGATORS}`,
    );
    return fromNames(DEFAULT_PROPAGATORS.split(','), warn);
  }
  return propagators.length === 1 ? propagators[0]! : new CompositePropagator({ propagators });
}
