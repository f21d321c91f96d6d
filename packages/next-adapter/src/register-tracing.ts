import { type ContextManager, diag, type TextMapPropagator, trace } from '@opentelemetry/api';
import {
  createContextManager,
  type EnvSource,
  type FlushResult,
  type IdGenerator,
  isTraceSegmentKept,
  keepTraceSegment,
  localRootOf,
  processEnv,
  type ResourceLike,
  readEnvText,
  type SamplerOptions,
  type SpanExporter,
  type SpanLimitsOptions,
  type SpanProcessor,
  TracerProvider,
} from '@spanlite/core';
import { type PropagatorName, propagatorFromEnv, propagatorFromNames } from '@spanlite/propagation';
import { resolveBasePath } from './base-path';
import { contextAccessFor } from './context-access';
import { setDiagLoggerFromEnv } from './diag-from-env';
import { delegateEarlyProviders } from './early-tracer-providers';
import { batched, exporterProcessorsFromEnv } from './exporters-from-env';
import { flushIntervalMillis } from './flush-interval';
import { flushLateSpan } from './flush-late-span';
import { FlushScheduler } from './flush-scheduler';
import { KNOWN_METHODS, knownMethodsFromEnv } from './http-attributes';
import { instrumentFetch } from './instrument-fetch';
import { INSTRUMENTATION_NAME } from './instrumentation-scope';
import { type InstrumentationOption, startInstrumentations } from './instrumentations';
import { LocalRootTracker } from './local-root-tracker';
import { platformAttributes } from './platform-resource';
import { type PropagationTargets, propagationTest } from './propagation-targets';
import { globalPropagator, prerenderDetector, requestReader } from './runtime/edge';
import { keepRequestFor } from './schedule-flush';
import { shownValue } from './shown-value';
import {
  disabledRegistration,
  getTracingState,
  setDisabledRegistration,
  setTracingState,
  type TracingState,
} from './tracing-state';
import { requestContextLookup } from './wait-until';

/**
 * How long the flush after a response waits for Next.js's request span, which ends once the
 * response has been sent: a streamed response (an AI model's answer, say) keeps it open while it
 * streams. The `waitUntil` promise stays pending meanwhile, so the platform does not freeze the
 * function before that span is exported. A root that ends later still gets its flush, without
 * that protection.
 */
const DEFAULT_FLUSH_WAIT_MILLIS = 60_000;

export interface RegisterTracingOptions extends SamplerOptions {
  /** `service.name`; default `OTEL_SERVICE_NAME`, else `unknown_service:node` (`unknown_service` on the edge). */
  serviceName?: string | undefined;
  /**
   * Resource attributes, laid over `OTEL_RESOURCE_ATTRIBUTES`, which is laid over what
   * `registerTracing` detects (`process.runtime.name`: `nodejs` or `edge`; on Vercel, the region,
   * environment, deployment id and commit). A resource object (`Resource` of `@spanlite/core` or
   * `resourceFromAttributes` of `@opentelemetry/resources`) is laid over them the same way, and
   * its schema URL kept.
   */
  resource?: Record<string, string | number | boolean> | ResourceLike | undefined;
  spanLimits?: SpanLimitsOptions | undefined;
  /**
   * Makes the ids of new traces and spans in place of random ones (AWS X-Ray's time-prefixed
   * trace ids, say). Its traces get W3C Trace Context Level 2's random flag only when it says
   * `randomTraceIds: true`; otherwise they carry 56 random bits in the `ot` trace state instead.
   */
  idGenerator?: IdGenerator | undefined;
  /**
   * Where spans go, through a `BatchSpanProcessor`. Default: as `OTEL_TRACES_EXPORTER` says
   * (`otlp`, `console`, `none`), else an `OtlpTraceExporter` configured by `OTEL_EXPORTER_OTLP_*`
   * (`http://localhost:4318/v1/traces`). `null` or `'none'`: none (use `spanProcessors`).
   */
  exporter?: SpanExporter | 'none' | null | undefined;
  /** More span processors, after the exporter's. */
  spanProcessors?: SpanProcessor[] | undefined;
  /** Propagator names (`tracecontext`, `baggage`, `b3`, `b3multi`, `none`) or a propagator. Default: `OTEL_PROPAGATORS`, else W3C Trace Context + Baggage. */
  propagators?: readonly PropagatorName[] | TextMapPropagator | undefined;
  /** Trace outbound `fetch` with a client span per call (default true). */
  instrumentFetch?: boolean | undefined;
  /**
   * OpenTelemetry instrumentations (`@opentelemetry/instrumentation-*`, `@prisma/instrumentation`):
   * each gets this provider and is enabled, as `registerInstrumentations` would do. Nested lists
   * (`[getNodeAutoInstrumentations()]`) are flattened. Node-only ones belong in a
   * `NEXT_RUNTIME === 'nodejs'` branch of `instrumentation.ts`.
   */
  instrumentations?: readonly InstrumentationOption[] | undefined;
  /** Where outbound `fetch` sends trace headers. Default: the origin of the request being handled. */
  propagateTo?: PropagationTargets | undefined;
  /**
   * The path the app is served under, put in front of `http.route` and the request span's name
   * (the HTTP conventions: "SHOULD include the application root"). Default: Next.js's `basePath`.
   */
  basePath?: string | undefined;
  /** Request headers recorded on the server span, besides `x-request-id`. */
  requestHeaders?: readonly string[] | undefined;
  /** Add a `traceresponse` header to responses (default true). */
  traceResponse?: boolean | undefined;
  /** Add `Server-Timing: traceparent;desc="…"` to responses, for browser correlation (default true). */
  serverTiming?: boolean | undefined;
  /** `after` from `next/server`: lets node route handlers flush after the response, also where no request context exists. */
  after?: ((task: () => unknown) => void) | undefined;
  /**
   * How long the flush after a response waits for Next.js's request span to end (default
   * 60000 ms): the span stays open while a streamed response streams. Also how long after the
   * request's end a span may start and still be flushed soon after it ends (within 20 ms, in a
   * flush shared with the other late spans of those 20 ms).
   */
  flushWaitMillis?: number | undefined;
  /**
   * Where `OTEL_*` are read (default: the process environment, where there is one).
   * `OTEL_LOG_LEVEL`, when set, sends diagnostics to the console at that level;
   * `OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS` replaces the HTTP methods recorded as they are.
   * Numbers and booleans (a Cloudflare Worker's JSON `[vars]`) are read as their text.
   */
  env?: EnvSource | undefined;
  /**
   * The context manager to register. Default: AsyncLocalStorage where the runtime has it (Node,
   * Bun, Deno, Next.js's edge sandbox, which puts it on `globalThis`), else a synchronous one.
   * Cloudflare Workers offer it only as an import: pass
   * `new AsyncLocalStorageContextManager(AsyncLocalStorage)` with `node:async_hooks`'s class.
   */
  contextManager?: ContextManager | undefined;
}

/** What `registerTracing` returns. */
export interface TracingHandle {
  readonly provider: TracerProvider;
  /**
   * Exports every span ended so far; resolves with how it went (`success`, `failure`, `timeout`)
   * and never rejects.
   */
  forceFlush(): Promise<FlushResult>;
  /** Flushes, then stops tracing; resolves as `forceFlush` does. */
  shutdown(): Promise<FlushResult>;
}

/**
 * Sets up tracing for the current runtime: call it from `register()` in `instrumentation.ts`. It
 * runs unchanged under `NEXT_RUNTIME=nodejs` and `edge` (each edge entry gets its own copy). It
 * registers the tracer provider, an AsyncLocalStorage context manager and the propagator with
 * `@opentelemetry/api`, so Next.js's own spans are recorded, and instruments outbound `fetch`.
 * A second call returns the first call's handle.
 */
export function registerTracing(given: RegisterTracingOptions = {}): TracingHandle {
  // `null` from JavaScript: the defaults, as for no options
  const options = given ?? {};
  const existing = getTracingState()?.provider ?? disabledRegistration();
  if (existing !== undefined) {
    diag.warn('registerTracing was called again; keeping the first registration');
    return handleOf(existing);
  }
  const env = options.env ?? processEnv();
  // first, so that what the configuration below reports reaches the logger
  setDiagLoggerFromEnv(env);
  const tracker = new LocalRootTracker();
  const processors: SpanProcessor[] = [tracker];
  const exporter: unknown = options.exporter;
  if (has(exporter, 'export')) {
    processors.push(batched(exporter as SpanExporter, env));
  } else if (exporter !== null && exporter !== 'none') {
    // not an exporter (`'auto'` from another SDK's options): the default, not every span lost
    if (exporter !== undefined) warnNotA('exporter', exporter, 'the default is used');
    processors.push(...exporterProcessorsFromEnv(env));
  }
  const extra: unknown = options.spanProcessors ?? [];
  for (const processor of listOf(extra)) {
    if (has(processor, 'onStart') && has(processor, 'onEnd')) {
      processors.push(processor as SpanProcessor);
    } else warnNotA('span processor', processor, 'skipped');
  }
  const provider = new TracerProvider({
    serviceName: options.serviceName,
    resource: options.resource,
    detectedResource: platformAttributes(env),
    sampler: options.sampler,
    ratio: options.ratio,
    errors: options.errors,
    errorBuffer: options.errorBuffer,
    spanLimits: options.spanLimits,
    idGenerator: options.idGenerator,
    spanProcessors: processors,
    env,
  });
  const flushWaitMillis = options.flushWaitMillis ?? DEFAULT_FLUSH_WAIT_MILLIS;
  const flusher = new FlushScheduler(
    () => provider.forceFlush(),
    flushWaitMillis,
    undefined,
    undefined,
    flushIntervalMillis(env),
  );
  tracker.flusher = flusher;
  const propagator = resolvePropagator(options, env);
  const contextManager = options.contextManager ?? createContextManager();
  tracker.propagator = propagator;
  tracker.basePath = resolveBasePath(options.basePath);
  tracker.requestHeaders = normalizeHeaderNames(options.requestHeaders);
  provider.register({ propagator: globalPropagator(propagator), contextManager });
  const state: TracingState = {
    provider,
    propagator,
    context: contextAccessFor(contextManager),
    tracer: provider.getTracer(INSTRUMENTATION_NAME),
    tracker,
    flusher,
    keepTraceSegment,
    isTraceSegmentKept,
    requestSpanOf: (span) => tracker.requestSpanOf(localRootOf(span)),
    requestHeaders: tracker.requestHeaders,
    propagateTo: propagationTest(options.propagateTo, env),
    traceResponse: options.traceResponse !== false,
    serverTiming: options.serverTiming !== false,
    after: options.after,
    requestContext: requestContextLookup(),
    knownMethods:
      knownMethodsFromEnv(readEnvText(env, 'OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS')) ??
      KNOWN_METHODS,
    readRequest: requestReader(),
    prerendering: prerenderDetector(),
  };
  // OTEL_SDK_DISABLED=true: the provider records nothing and is not registered; the wrappers
  // call handlers as they are and fetch is left alone.
  if (provider.disabled) {
    setDisabledRegistration(provider);
    return handleOf(provider);
  }
  tracker.onLateSpan = (root, span) => flushLateSpan(state, root, span, flushWaitMillis);
  tracker.onRootFlush = (flush) => keepRequestFor(state, flush);
  setTracingState(state);
  // the registered provider (another SDK's, where one was registered first)
  delegateEarlyProviders(trace.getTracerProvider());
  if (options.instrumentFetch !== false) instrumentFetch();
  if (options.instrumentations !== undefined)
    startInstrumentations(options.instrumentations, provider);
  return handleOf(provider);
}

function handleOf(provider: TracerProvider): TracingHandle {
  return {
    provider,
    forceFlush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

function resolvePropagator(options: RegisterTracingOptions, env: EnvSource): TextMapPropagator {
  const given = options.propagators;
  if (given === undefined) return propagatorFromEnv(env);
  if (Array.isArray(given)) return propagatorFromNames(given);
  return given as TextMapPropagator;
}

function normalizeHeaderNames(names: readonly string[] | undefined): string[] {
  const list = ['x-request-id'];
  // one name alone (JavaScript) as a list of one, not its characters
  for (const name of listOf(names ?? [])) {
    const lower = typeof name === 'string' ? name.trim().toLowerCase() : '';
    // a field name is a token (RFC 9110); `Headers.get` throws on any other, on every request
    if (!/^[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(lower)) {
      diag.warn(
        `registerTracing: requestHeaders ${JSON.stringify(lower)} is no header name; skipped`,
      );
    } else if (!list.includes(lower)) list.push(lower);
  }
  return list;
}

/** A list, or any iterable (a Set), as an array; one value alone as a list of one. */
function listOf(value: unknown): unknown[] {
  try {
    if (typeof value === 'object' && value !== null && Symbol.iterator in value) {
      return [...(value as Iterable<unknown>)];
    }
  } catch {
    // an iterable that throws: taken as one value, reported as no processor
  }
  return [value];
}

/** Whether `value` has the method `name`; false where reading it throws (a hostile Proxy). */
function has(value: unknown, name: string): boolean {
  try {
    return typeof (value as Record<string, unknown> | null | undefined)?.[name] === 'function';
  } catch {
    return false;
  }
}

/** An option that is not what it should be, reported through `diag`. */
function warnNotA(what: string, value: unknown, outcome: string): void {
  diag.warn(`registerTracing: ${what} ${shownValue(value)} is not one; ${outcome}`);
}
