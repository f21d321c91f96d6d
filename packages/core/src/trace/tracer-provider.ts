import {
  type TracerProvider as ApiTracerProvider,
  type Attributes,
  type Context,
  type ContextManager,
  context as contextApi,
  diag,
  propagation,
  type TextMapPropagator,
  trace,
} from '@opentelemetry/api';
import { defaultEnv, type EnvSource, readBoolean, readString, reportEnv } from '../config/env';
import { createContextManager } from '../context/create-context-manager';
import type { ResourceLike } from '../export/finished-span';
import { CheckedIdGenerator, type IdGenerator } from '../ids/id-generator';
import { FailureReporter } from '../processors/failure-reporter';
import { combineFlushResults, type FlushResult } from '../processors/flush-result';
import type { SpanProcessor } from '../processors/span-processor';
import { propagatorFromEnvWith, w3cPropagatorByName } from '../propagation/propagator-from-env';
import { createResource } from '../resource/create-resource';
import type { Resource } from '../resource/resource';
import type { ErrorBufferStats } from '../samplers/error-segment';
import { SegmentBuffer } from '../samplers/error-segment';
import { resolveSampler, type SamplerOptions } from '../samplers/resolve-sampler';
import type { Sampler } from '../samplers/sampler';
import { anchorClock } from '../time/clock';
import { attributesKey, limitAttributes } from './attribute-value';
import type { RecordingSpan } from './recording-span';
import { resolveSpanLimits, type SpanLimitsOptions } from './span-limits';
import { toText } from './to-text';
import { Tracer, type TracerShared } from './tracer';

export interface TracerProviderOptions extends SamplerOptions {
  /** `service.name`; default OTEL_SERVICE_NAME, else `unknown_service:node` (`unknown_service` on the edge). */
  serviceName?: string | undefined;
  /**
   * Resource attributes laid over OTEL_RESOURCE_ATTRIBUTES, or a resource (`Resource` of this
   * package or of `@opentelemetry/resources`), whose attributes are laid over it the same way and
   * whose schema URL the resource keeps.
   */
  resource?: Attributes | ResourceLike | undefined;
  /**
   * Resource attributes a detector found (the platform, the runtime): OTEL_RESOURCE_ATTRIBUTES,
   * OTEL_SERVICE_NAME and the options above override them.
   */
  detectedResource?: Attributes | undefined;
  spanLimits?: SpanLimitsOptions | undefined;
  /**
   * Makes the ids of new traces and spans (default: random ids, drawn when first needed). An
   * invalid id it gives is replaced by a random one, with a warning; its trace ids do not get
   * W3C Trace Context Level 2's random flag.
   */
  idGenerator?: IdGenerator | undefined;
  /** Where finished spans go, in order. */
  spanProcessors?: SpanProcessor[] | undefined;
  /**
   * How long `forceFlush` and `shutdown` wait for a processor (default 30000 ms): one that has
   * not finished by then is reported through `diag` and waited for no longer.
   */
  forceFlushTimeoutMillis?: number | undefined;
  /** Where OTEL_* settings are read (default: the process environment, where there is one). */
  env?: EnvSource | undefined;
}

export interface RegisterOptions {
  /** Default: AsyncLocalStorage where the runtime has it, else a synchronous fallback. */
  contextManager?: ContextManager | null | undefined;
  /**
   * Default: as `OTEL_PROPAGATORS` says among `tracecontext`, `baggage` and `none` (B3 is
   * `@spanlite/propagation`'s `propagatorFromEnv()`), else W3C Trace Context + W3C Baggage.
   * `null` registers none.
   */
  propagator?: TextMapPropagator | null | undefined;
}

/** The longest delay timers accept (2³¹−1 ms). */
const MAX_TIMER_MILLIS = 2147483647;

/**
 * Creates tracers and owns what they share: resource, limits, sampler and span processors.
 * OTEL_SDK_DISABLED=true makes it a no-op: tracers hand out non-recording spans and `register`
 * installs no tracer provider (only the context manager and the propagator).
 */
export class TracerProvider implements ApiTracerProvider {
  readonly resource: Resource;
  private readonly _processors: SpanProcessor[];
  private readonly _tracers = new Map<string, Tracer>();
  private readonly _shared: TracerShared;
  /** OTEL_SDK_DISABLED=true was set: this provider records nothing and is not registered. */
  readonly disabled: boolean;
  private _contextManager: ContextManager | undefined;
  private _shutdown: Promise<FlushResult> | undefined;
  private readonly _flushTimeoutMillis: number;
  /** Where OTEL_* settings are read: `register` reads OTEL_PROPAGATORS there. */
  private readonly _env: EnvSource;
  /** A flush after every response would log every timeout of a dead backend's: once, then counted. */
  private readonly _failures = new FailureReporter('TracerProvider');

  constructor(options: TracerProviderOptions = {}) {
    const env = options.env ?? defaultEnv();
    this._env = env;
    this.disabled = readBoolean(env, 'OTEL_SDK_DISABLED');
    // A declarative configuration file asks that the other variables be ignored; none is read
    // here, so say what applies instead of ignoring it silently.
    for (const name of ['OTEL_CONFIG_FILE', 'OTEL_EXPERIMENTAL_CONFIG_FILE']) {
      if (readString(env, name) !== undefined) {
        reportEnv(
          env,
          `${name}: no configuration file is read; options and OTEL_* variables apply`,
        );
      }
    }
    this.resource = createResource(
      {
        serviceName: options.serviceName,
        attributes: options.resource,
        detected: options.detectedResource,
      },
      env,
    );
    this._processors = [...(options.spanProcessors ?? [])];
    anchorClock();
    const timeout = options.forceFlushTimeoutMillis;
    this._flushTimeoutMillis =
      typeof timeout === 'number' && timeout > 0 ? Math.min(timeout, MAX_TIMER_MILLIS) : 30000;
    const sampler = resolveSampler(options, env);
    const processors = this._processors;
    this._shared = {
      sampler,
      // error-always's buffer: ErrorAlwaysSampler's, also when an AlwaysRecordSampler wraps it
      errorSegments: errorBufferOf(sampler),
      limits: resolveSpanLimits(options.spanLimits, env),
      resource: this.resource,
      ids:
        options.idGenerator === undefined ? undefined : new CheckedIdGenerator(options.idGenerator),
      stopped: this.disabled,
      activeContext: () => this._activeContext(),
      withContext: (ctx, fn, thisArg, ...args) => this._withContext(ctx, fn, thisArg, ...args),
      onStart(span: RecordingSpan, parentContext: Context) {
        for (let i = 0; i < processors.length; i++) {
          try {
            processors[i]!.onStart(span, parentContext);
          } catch (error) {
            diag.error('a span processor threw in onStart', error);
          }
        }
      },
      onEnding: processors.some((p) => typeof p.onEnding === 'function')
        ? (span: RecordingSpan) => {
            for (let i = 0; i < processors.length; i++) {
              try {
                processors[i]!.onEnding?.(span);
              } catch (error) {
                diag.error('a span processor threw in onEnding', error);
              }
            }
          }
        : undefined,
      onEnd(span: RecordingSpan) {
        for (let i = 0; i < processors.length; i++) {
          try {
            processors[i]!.onEnd(span);
          } catch (error) {
            diag.error('a span processor threw in onEnd', error);
          }
        }
      },
    };
  }

  getTracer(
    name: string,
    version?: string,
    options?: { schemaUrl?: string; attributes?: Attributes },
  ): Tracer {
    // The specification: an invalid (empty or missing) name still gets a working tracer, named
    // "", and a message.
    if (!name) {
      diag.warn('getTracer: invalid name; using ""');
      name = '';
    } else name = toText(name);
    version = version === undefined ? undefined : toText(version);
    const schemaUrl = options?.schemaUrl === undefined ? undefined : toText(options.schemaUrl);
    // NUL separators: no name or version can make two scopes share a key ("a@b" and "a", "b@").
    let key = `${name}\0${version ?? ''}\0${schemaUrl ?? ''}`;
    // Scope attributes (Get a Tracer: the API "MUST be structured to accept a variable number of
    // attributes, including none"): valid ones copied, and part of the tracer's identity.
    const attributes =
      options?.attributes == null
        ? undefined
        : limitAttributes(options.attributes, Infinity, Infinity, (key) =>
            diag.warn(`getTracer: invalid scope attribute "${key}"; dropped`),
          ).attributes;
    const hasAttributes = attributes !== undefined && Object.keys(attributes).length > 0;
    if (hasAttributes) {
      key += `\0${attributesKey(attributes)}`;
    }
    let tracer = this._tracers.get(key);
    if (tracer === undefined) {
      tracer = new Tracer(
        this._shared,
        hasAttributes ? { name, version, schemaUrl, attributes } : { name, version, schemaUrl },
      );
      this._tracers.set(key, tracer);
    }
    return tracer;
  }

  /**
   * Makes this the global tracer provider of @opentelemetry/api, with a context manager and a
   * propagator, so spans started through the API by any library (Next.js's own included) land here.
   */
  register(options: RegisterOptions = {}): this {
    // OTEL_SDK_DISABLED "has no effect on propagators" (SDK environment variables): the context
    // manager and the propagator are still registered, so traces pass through this service.
    if (this.disabled) {
      diag.info('OTEL_SDK_DISABLED=true: spanlite registers no tracer provider');
    } else if (!trace.setGlobalTracerProvider(this)) {
      diag.warn('a global tracer provider was already registered; spanlite did not replace it');
    }
    if (options.contextManager !== null) {
      const manager = options.contextManager ?? createContextManager();
      if (contextApi.setGlobalContextManager(manager)) this._contextManager = manager;
    }
    if (options.propagator !== null) {
      propagation.setGlobalPropagator(
        options.propagator ??
          propagatorFromEnvWith(w3cPropagatorByName, this._env, " (B3 is @spanlite/propagation's)"),
      );
    }
    return this;
  }

  /**
   * Resolves once every processor has exported what it held when called, or after
   * `forceFlushTimeoutMillis` (the specification: ForceFlush "SHOULD complete or abort within some
   * timeout"), with how it went (`success`, `failure`, `timeout`: {@link FlushResult}); never
   * rejects. A processor that failed or timed out is also reported through `diag`.
   */
  forceFlush(): Promise<FlushResult> {
    return this._settleAll('forceFlush');
  }

  /**
   * Flushes and shuts down every processor; spans started afterwards record nothing. Resolves
   * with how the flush went, as `forceFlush` does.
   */
  shutdown(): Promise<FlushResult> {
    this._shared.stopped = true;
    this._shutdown ??= this._settleAll('shutdown');
    return this._shutdown;
  }

  private async _settleAll(what: 'forceFlush' | 'shutdown'): Promise<FlushResult> {
    const timeout = this._flushTimeoutMillis;
    return combineFlushResults(
      await Promise.all(
        this._processors.map((p) => settle(() => p[what](), what, timeout, this._failures)),
      ),
    );
  }

  /** Counters of error-always sampling's buffer, when it is on. */
  errorBufferStats(): ErrorBufferStats | undefined {
    return this._shared.errorSegments?.stats();
  }

  private _activeContext(): Context {
    return this._contextManager !== undefined ? this._contextManager.active() : contextApi.active();
  }

  private _withContext<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg: ThisParameterType<F> | undefined,
    ...args: A
  ): ReturnType<F> {
    return this._contextManager !== undefined
      ? this._contextManager.with(ctx, fn, thisArg, ...args)
      : contextApi.with(ctx, fn, thisArg, ...args);
  }
}

/**
 * One processor's flush or shutdown, bounded by `timeout`. Any processor's resolved value other
 * than spanlite's `failure` or `timeout` counts as success (the interface's `Promise<void>`).
 */
async function settle(
  run: () => Promise<unknown>,
  what: string,
  timeout: number,
  failures: FailureReporter,
): Promise<FlushResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    // A timer that holds a Node process while someone waits on the flush, so that an awaited
    // flush of a processor that never settles ends with 'timeout' rather than with the process
    // (top-level await in a script: exit code 13, the result never seen).
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), timeout);
    });
    const outcome = await Promise.race([run(), late]);
    if (outcome === 'late') {
      failures.report(
        `a span processor's ${what} did not finish within ${timeout} ms; not waiting`,
      );
      return 'timeout';
    }
    return outcome === 'failure' || outcome === 'timeout' ? outcome : 'success';
  } catch (error) {
    failures.report(`a span processor's ${what} failed`, error);
    return 'failure';
  } finally {
    clearTimeout(timer);
  }
}

function errorBufferOf(sampler: Sampler): SegmentBuffer | undefined {
  const buffer = (sampler as { buffer?: unknown }).buffer;
  return buffer instanceof SegmentBuffer ? buffer : undefined;
}
