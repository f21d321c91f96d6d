import {
  type Context,
  diag,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';

export interface CompositePropagatorOptions {
  propagators?: readonly TextMapPropagator[] | undefined;
}

/**
 * Runs several propagators as one. Inject runs each in order. Extract runs each in order, each on
 * the context the previous one returned, so for the same context value (such as the span context)
 * the last propagator that finds one wins. A propagator that throws is skipped with a warning.
 */
export class CompositePropagator implements TextMapPropagator {
  private readonly propagators: readonly TextMapPropagator[];
  private readonly fieldNames: readonly string[];

  constructor(options: CompositePropagatorOptions = {}) {
    this.propagators = Array.isArray(options.propagators) ? options.propagators.slice() : [];
    const names = new Set<string>();
    for (const propagator of this.propagators) {
      try {
        for (const field of propagator.fields()) names.add(field);
      } catch (error) {
        diag.warn('spanlite: a propagator threw from fields()', error);
      }
    }
    this.fieldNames = Array.from(names);
  }

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    for (const propagator of this.propagators) {
      try {
        propagator.inject(context, carrier, setter);
      } catch (error) {
        diag.warn('spanlite: a propagator threw from inject()', error);
      }
    }
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    let result = context;
    for (const propagator of this.propagators) {
      try {
        result = propagator.extract(result, carrier, getter);
      } catch (error) {
        diag.warn('spanlite: a propagator threw from extract()', error);
      }
    }
    return result;
  }

  fields(): string[] {
    return this.fieldNames.slice();
  }
}
