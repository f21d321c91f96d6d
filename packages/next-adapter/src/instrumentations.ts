import { diag, type TracerProvider } from '@opentelemetry/api';
import { adaptInstrumentation } from './runtime/edge';

/**
 * What `registerTracing` uses of an OpenTelemetry instrumentation: the `Instrumentation` of
 * `@opentelemetry/instrumentation`, which `@opentelemetry/instrumentation-*` and
 * `@prisma/instrumentation` implement.
 */
export interface InstrumentationLike {
  readonly instrumentationName?: string;
  setTracerProvider(provider: TracerProvider): void;
  enable(): void;
  getConfig?(): { enabled?: boolean };
  setConfig?(config: { enabled?: boolean }): void;
}

/** An instrumentation, or a list of them (as `getNodeAutoInstrumentations()` returns). */
export type InstrumentationOption = InstrumentationLike | readonly InstrumentationOption[];

/**
 * Gives each instrumentation the provider and enables it where its configuration left it off, as
 * `registerInstrumentations` does (most enable themselves when made). One that throws is
 * reported and skipped.
 */
export function startInstrumentations(
  instrumentations: readonly InstrumentationOption[],
  provider: TracerProvider,
): void {
  // a single instrumentation passed alone is taken as a list of one
  const list = ([instrumentations] as unknown[]).flat(8) as InstrumentationLike[];
  for (const instrumentation of list) {
    try {
      instrumentation.setTracerProvider(provider);
      adaptInstrumentation(instrumentation);
      if (instrumentation.getConfig?.().enabled !== true) instrumentation.enable();
    } catch (error) {
      diag.error(
        `registerTracing: instrumentation ${instrumentation?.instrumentationName ?? '(unnamed)'} failed to start; skipped`,
        error,
      );
    }
  }
}
