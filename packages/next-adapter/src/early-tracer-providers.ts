import { type TracerProvider, trace } from '@opentelemetry/api';
import { INSTRUMENTATION_NAME } from './instrumentation-scope';
import { getTracingState } from './tracing-state';

/** The part of `@opentelemetry/api`'s ProxyTracerProvider used here. */
interface ProxyProvider {
  setDelegate(delegate: TracerProvider): void;
  getDelegateTracer(name: string): unknown;
}

// Shared by every copy of this package in one global scope (an edge sandbox bundles it per entry).
const EARLY_PROVIDERS = Symbol.for('@spanlite/next.early-providers');

type Globals = Record<symbol, ProxyProvider[] | undefined>;

/**
 * Notes the proxy tracer provider of this copy of `@opentelemetry/api` when a wrapper is made
 * before `registerTracing` has run. Next.js 14 and 15 evaluate an edge route's modules before its
 * sandbox calls `register()`, and the route's bundle holds a copy of the API of its own: a tracer
 * taken at module level there (`const tracer = trace.getTracer('app')`) belongs to that copy's
 * proxy, which the registration through `instrumentation.ts`'s copy never reaches, so its spans
 * were lost. `registerTracing` gives the noted proxies the provider (see
 * {@link delegateEarlyProviders}). `api`: the `trace` API whose provider is noted (this package's
 * copy's).
 */
export function noteEarlyProvider(api: { getTracerProvider(): unknown } = trace): void {
  try {
    if (getTracingState() !== undefined) return;
    const provider = api.getTracerProvider() as Partial<ProxyProvider>;
    if (typeof provider.setDelegate !== 'function') return;
    if (typeof provider.getDelegateTracer !== 'function') return;
    const globals = globalThis as unknown as Globals;
    const noted = (globals[EARLY_PROVIDERS] ??= []);
    if (!noted.includes(provider as ProxyProvider)) noted.push(provider as ProxyProvider);
  } catch {
    // a tracer provider of someone else's that throws: nothing to note
  }
}

/** Gives the proxies noted before registration that still have no provider `provider`. */
export function delegateEarlyProviders(provider: TracerProvider): void {
  const globals = globalThis as unknown as Globals;
  const noted = globals[EARLY_PROVIDERS];
  if (noted === undefined) return;
  globals[EARLY_PROVIDERS] = undefined;
  for (const proxy of noted) {
    try {
      if (proxy.getDelegateTracer(INSTRUMENTATION_NAME) === undefined) proxy.setDelegate(provider);
    } catch {
      // left as it is
    }
  }
}
