import { diag, type TextMapPropagator } from '@opentelemetry/api';
import { type EnvSource, readText, reportEnv } from '../config/env';
import { CompositePropagator } from './composite-propagator';
import { W3CBaggagePropagator } from './w3c-baggage-propagator';
import { W3CTraceContextPropagator } from './w3c-trace-context-propagator';

/** Makes the propagator a lower-case `OTEL_PROPAGATORS` name stands for; undefined if unknown. */
export type PropagatorByName = (name: string) => TextMapPropagator | undefined;

const DEFAULT_PROPAGATORS = 'tracecontext,baggage';

/** The names this package implements: `tracecontext` and `baggage`. */
export function w3cPropagatorByName(name: string): TextMapPropagator | undefined {
  if (name === 'tracecontext') return new W3CTraceContextPropagator();
  if (name === 'baggage') return new W3CBaggagePropagator();
  return undefined;
}

/**
 * The propagator `OTEL_PROPAGATORS` asks for (OpenTelemetry SDK environment variables), made by
 * `byName`: a comma-separated list of names, or `none`; unset or blank means
 * `tracecontext,baggage`, and so, with a warning, does a value of commas alone. Names are trimmed
 * and matched ignoring case, repeated names count once, empty ones are skipped, unknown ones are
 * skipped with a warning that shows them as written (followed by `unknownHint`), and `none`
 * anywhere in the list turns propagation off. A list of nothing but unknown names is ignored with
 * a warning, as the specification asks of an enum value it does not recognise, so the default
 * applies. Several names make a composite in the order listed, so on extract the last one that
 * finds a span context wins. Each warning is given once per `env` object.
 */
export function propagatorFromEnvWith(
  byName: PropagatorByName,
  env: EnvSource,
  unknownHint = '',
): TextMapPropagator {
  const raw = readText(env, 'OTEL_PROPAGATORS');
  const warn = (message: string) => reportEnv(env, message);
  if (raw !== undefined && /[^\s,]/.test(raw))
    return fromNames(raw.split(','), byName, warn, unknownHint);
  // Commas alone name no propagator: a mistake (an empty template variable, say), not a request to
  // turn propagation off, which is `none`.
  if (raw !== undefined && raw.trim() !== '')
    warn(`spanlite: OTEL_PROPAGATORS="${raw}" names no propagator; using ${DEFAULT_PROPAGATORS}`);
  return fromNames(DEFAULT_PROPAGATORS.split(','), byName, warn, unknownHint);
}

/** The propagator `register()` installs when `OTEL_PROPAGATORS` is unset: W3C Trace Context, then W3C Baggage. */
export function createDefaultPropagator(): TextMapPropagator {
  return propagatorFromNamesWith(w3cPropagatorByName, DEFAULT_PROPAGATORS.split(','));
}

/** The composite of the named propagators, by the rules of {@link propagatorFromEnvWith}. */
export function propagatorFromNamesWith(
  byName: PropagatorByName,
  names: readonly string[],
): TextMapPropagator {
  return fromNames(names, byName, diag.warn, '');
}

function fromNames(
  names: readonly string[],
  byName: PropagatorByName,
  warn: (message: string) => void,
  unknownHint: string,
): TextMapPropagator {
  const seen = new Set<string>();
  const propagators: TextMapPropagator[] = [];
  for (const rawName of names) {
    const given = String(rawName).trim();
    const name = given.toLowerCase();
    if (name === '' || seen.has(name)) continue;
    seen.add(name);
    if (name === 'none') continue;
    const propagator = byName(name);
    // The name as the user wrote it (environment variables: "SHOULD display the original
    // user-provided value"). Worded as @spanlite/propagation's were before the parsing moved
    // here; core's register() adds where B3 is (`unknownHint`).
    if (propagator === undefined)
      warn(
        `spanlite: OTEL_PROPAGATORS names "${given}", which spanlite does not provide; skipped${unknownHint}`,
      );
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
    return fromNames(DEFAULT_PROPAGATORS.split(','), byName, warn, unknownHint);
  }
  return propagators.length === 1 ? propagators[0]! : new CompositePropagator({ propagators });
}
