// The reference OpenTelemetry JS SDK set up by hand, as users without NodeSDK do: a
// BasicTracerProvider with the service name, a BatchSpanProcessor in front of the given OTLP
// exporter class, W3C Trace Context + Baggage, and an AsyncLocalStorage context manager, each
// registered with @opentelemetry/api. @opentelemetry/context-async-hooks is not installed in this
// repository; the manager below is the same code as its AsyncLocalStorageContextManager (`active`
// is `getStore() ?? ROOT_CONTEXT`, `with` is `run`), without its EventEmitter patching.
import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

class AsyncLocalStorageContextManager {
  constructor(AsyncLocalStorage) {
    this.storage = new AsyncLocalStorage();
  }
  active() {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with(ctx, fn, thisArg, ...args) {
    const bound = thisArg == null ? fn : fn.bind(thisArg);
    return this.storage.run(ctx, bound, ...args);
  }
  bind(ctx, target) {
    if (typeof target !== 'function') return target;
    const manager = this;
    return function bound(...args) {
      return manager.with(ctx, () => target.apply(this, args));
    };
  }
  enable() {
    return this;
  }
  disable() {
    this.storage.disable();
    return this;
  }
}

/** `Exporter`: OTLPTraceExporter of exporter-trace-otlp-proto or -http. */
export function registerReference(Exporter, { serviceName, endpoint, AsyncLocalStorage }) {
  const exporter = new Exporter(endpoint === undefined ? {} : { url: `${endpoint}/v1/traces` });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager(AsyncLocalStorage).enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  );
  return { flush: () => provider.forceFlush().then(() => 'resolved') };
}
