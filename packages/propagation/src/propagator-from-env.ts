import type { TextMapPropagator } from '@opentelemetry/api';
import {
  type EnvSource,
  processEnv,
  propagatorFromEnvWith,
  propagatorFromNamesWith,
  w3cPropagatorByName,
} from '@spanlite/core';
import { B3Propagator } from './b3-propagator';

/** The names `OTEL_PROPAGATORS` may list that spanlite implements. */
export type PropagatorName = 'tracecontext' | 'baggage' | 'b3' | 'b3multi' | 'none';

function createNamed(name: string): TextMapPropagator | undefined {
  if (name === 'b3') return new B3Propagator({ injectEncoding: 'single' });
  if (name === 'b3multi') return new B3Propagator({ injectEncoding: 'multi' });
  return w3cPropagatorByName(name);
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
  return propagatorFromEnvWith(createNamed, env ?? {});
}

/** The composite of the named propagators, by the rules of {@link propagatorFromEnv}. */
export function propagatorFromNames(names: readonly string[]): TextMapPropagator {
  return propagatorFromNamesWith(createNamed, names);
}
