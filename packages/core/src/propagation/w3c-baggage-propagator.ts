import {
  type Context,
  diag,
  propagation,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { isTracingSuppressed } from '../context/suppress-tracing';
import { parseBaggageHeader, serializeBaggage } from './baggage-codec';
import { BaggageMap } from './baggage-map';
import { readHeaderLines } from './header-value';
import { SafePropagator } from './safe-propagator';

export const BAGGAGE_HEADER = 'baggage';

/**
 * W3C Baggage. Several `baggage` header lines are combined (W3C Baggage: "Values can be combined
 * in a single header according to RFC 7230"). Extract replaces the context's baggage with the
 * header's valid members; a header that is present but holds none leaves the context with no
 * baggage (OpenTelemetry Baggage API, Propagation: "If the propagator is unable to parse the
 * `baggage` header, `extract` MUST return a Context with no baggage entries in it"), and an absent
 * header leaves it as it is. Inject writes nothing when tracing is suppressed or nothing fits.
 */
export class W3CBaggagePropagator extends SafePropagator {
  protected injectInto(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const baggage = propagation.getBaggage(context);
    if (baggage === undefined || isTracingSuppressed(context)) return;
    const header = baggage instanceof BaggageMap ? baggage.serialize() : serializeBaggage(baggage);
    if (header !== '') setter.set(carrier, BAGGAGE_HEADER, header);
  }

  protected extractFrom(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const lines = readHeaderLines(getter.get(carrier, BAGGAGE_HEADER));
    if (lines === undefined) return context;
    const entries = parseBaggageHeader(typeof lines === 'string' ? lines : lines.join(','));
    if (entries === undefined) {
      diag.debug('spanlite: a baggage header held no valid member');
      return propagation.getBaggage(context) === undefined
        ? context
        : propagation.deleteBaggage(context);
    }
    return propagation.setBaggage(context, new BaggageMap(entries));
  }

  fields(): string[] {
    return [BAGGAGE_HEADER];
  }
}
