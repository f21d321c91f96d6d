import {
  type Context,
  diag,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';

/**
 * A propagator whose `inject` and `extract` never throw (OTel API "Error handling": API methods
 * MUST NOT throw): what a span, trace state, baggage, setter or getter of someone else's throws is
 * reported at debug level; inject then writes nothing more, and extract returns the context as
 * given. `propagation.inject`/`extract` call a registered propagator unguarded, and
 * `OTEL_PROPAGATORS` naming one propagator registers it alone. Subclasses write and read their
 * headers in `injectInto` and `extractFrom`; the reports name their first header.
 */
export abstract class SafePropagator implements TextMapPropagator {
  protected abstract injectInto(context: Context, carrier: unknown, setter: TextMapSetter): void;

  protected abstract extractFrom(
    context: Context,
    carrier: unknown,
    getter: TextMapGetter,
  ): Context;

  abstract fields(): string[];

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    try {
      this.injectInto(context, carrier, setter);
    } catch (error) {
      diag.debug(`spanlite: ${this.fields()[0]} inject failed`, error);
    }
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    try {
      return this.extractFrom(context, carrier, getter);
    } catch (error) {
      diag.debug(`spanlite: ${this.fields()[0]} extract failed`, error);
      return context;
    }
  }
}
