import {
  type Context,
  diag,
  propagation,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { isTracingSuppressed } from '../context/suppress-tracing';
import { parseBaggageHeader, serializeBaggage } from './baggage-codec';
import { BaggageMap } from './baggage-map';
import { readHeaderLines } from './header-value';

export const BAGGAGE_HEADER = 'baggage';

/**
 * W3C Baggage. Several `baggage` header lines are combined (W3C Baggage: "Values can be combined
 * in a single header according to RFC 7230"). Extract replaces the context's baggage when the header
 * holds at least one valid member; inject writes nothing when tracing is suppressed or nothing fits.
 */
export class W3CBaggagePropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const baggage = propagation.getBaggage(context);
    if (baggage === undefined || isTracingSuppressed(context)) return;
    const header = baggage instanceof BaggageMap ? baggage.serialize() : serializeBaggage(baggage);
    if (header !== '') setter.set(carrier, BAGGAGE_HEADER, header);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const lines = readHeaderLines(getter.get(carrier, BAGGAGE_HEADER));
    if (lines === undefined) return context;
    const entries = parseBaggageHeader(typeof lines === 'string' ? lines : lines.join(','));
    if (entries === undefined) {
      diag.debug('spanlite: a baggage header held no valid member');
      return context;
    }
    return propagation.setBaggage(context, new BaggageMap(entries));
  }

  fields(): string[] {
    return [BAGGAGE_HEADER];
  }
}
