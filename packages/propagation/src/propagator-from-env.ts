import { diag, type TextMapPropagator } from '@opentelemetry/api';
import {
  CompositePropagator,
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

function processEnv(): Record<string, string | undefined> | undefined {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } })
    .process;
  return process?.env;
}

/**
 * The propagator `OTEL_PROPAGATORS` asks for (OpenTelemetry SDK environment variables): a
 * comma-separated list of `tracecontext`, `baggage`, `b3` (single header), `b3multi`, or `none`;
 * unset or blank means `tracecontext,baggage`. Names are trimmed and matched ignoring case, repeated
 * names count once, unknown ones are skipped with a warning, and `none` anywhere in the list turns
 * propagation off. Several names make a composite in the order listed, so on extract the last one
 * that finds a span context wins. `env` defaults to `process.env` where there is one.
 */
export function propagatorFromEnv(
  env: Record<string, string | undefined> | undefined = processEnv(),
): TextMapPropagator {
  const raw = env?.OTEL_PROPAGATORS;
  const list = typeof raw === 'string' && raw.trim() !== '' ? raw : DEFAULT_PROPAGATORS;
  return propagatorFromNames(list.split(','));
}

/** The composite of the named propagators, by the rules of {@link propagatorFromEnv}. */
export function propagatorFromNames(names: readonly string[]): TextMapPropagator {
  const seen = new Set<string>();
  const propagators: TextMapPropagator[] = [];
  for (const rawName of names) {
    const name = String(rawName).trim().toLowerCase();
    if (name === '' || seen.has(name)) continue;
    seen.add(name);
    if (name === 'none') continue;
    const propagator = createNamed(name);
    if (propagator === undefined)
      diag.warn(
        `spanlite: OTEL_PROPAGATORS names "${name}", which spanlite does not provide; skipped`,
      );
    else propagators.push(propagator);
  }
  if (seen.has('none')) {
    if (propagators.length > 0)
      diag.warn(
        'spanlite: OTEL_PROPAGATORS lists "none" with other propagators; propagation is off',
      );
    return new CompositePropagator({ propagators: [] });
  }
  return propagators.length === 1 ? propagators[0]! : new CompositePropagator({ propagators });
}
