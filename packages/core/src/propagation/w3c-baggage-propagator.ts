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
 * header's valid members. A header that holds none (empty, unparsable) leaves the context as it
 * is, as an absent one does (OpenTelemetry Propagators API, Extract: "If a value can not be parsed
 * from the carrier, for a cross-cutting concern, the implementation MUST NOT throw an exception and
 * MUST NOT store a new value in the Context, in order to preserve any previously existing valid
 * value"; the Baggage API's older note asking for a context with no entries was removed in its
 * favour). Inject writes nothing when tracing is suppressed or nothing fits.
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
      diag.debug('spanlite: a baggage header held no valid member; ignored');
      return context;
    }
    return propagation.setBaggage(context, new BaggageMap(entries));
  }

  fields(): string[] {
    return [BAGGAGE_HEADER];
  }
}
