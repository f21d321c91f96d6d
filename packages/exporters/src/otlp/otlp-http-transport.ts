import { context } from '@opentelemetry/api';
import { suppressTracing, unrefTimer } from '@spanlite/core';
import { detachedScope } from '../runtime/edge';
import type { OtlpConfig } from './otlp-config';
import { type PartialSuccess, readPartialSuccess, readStatusMessage } from './partial-success';
import { backoffDelay, isRetryableStatus, parseRetryAfter } from './retry-policy';
import type { AbortLike } from './shutdown-signal';

/** The transport's dependencies on the outside world; tests replace the clock and the dice. */
export interface TransportHooks {
  readonly fetch: typeof fetch;
  now(): number;
  /** Resolves after `ms`, or early once `signal` aborts. Never rejects. */
  sleep(ms: number, signal: AbortLike): Promise<void>;
  /** Uniform in [0, 1), for jitter. */
  random(): number;
  /**
   * Runs the sending of a request, its retries included: in the node build, outside the async
   * context the export was asked from (see runtime/node.ts). Without it, where it is asked from.
   */
  detached?<T>(run: () => T): T;
}

export type FailureKind =
  | 'timeout'
  | 'network'
  | 'http-status'
  | 'redirect'
  | 'retries-exhausted'
  | 'aborted';

export type DeliveryResult =
  | { readonly ok: true; readonly attempts: number; readonly partialSuccess?: PartialSuccess }
  | {
      readonly ok: false;
      readonly attempts: number;
      readonly kind: FailureKind;
      readonly message: string;
    };

/**
 * POSTs one encoded request, retrying 429, 502, 503, 504 and network errors with backoff (or the
 * server's `Retry-After`) as long as the next attempt can start before the export's deadline
 * (`timeoutMillis` from now, unless the export's requests share an earlier one).
 * A redirect is not followed: it fails the export.
 * Every attempt is aborted at the deadline, and all of them when `abort` fires (shutdown).
 * The promise never rejects.
 */
export async function sendOtlpRequest(
  body: Uint8Array,
  headers: Record<string, string>,
  config: OtlpConfig,
  hooks: TransportHooks,
  abort: AbortLike,
  deadline = hooks.now() + config.timeoutMillis,
): Promise<DeliveryResult> {
  const send = () => sendAttempts(body, headers, config, hooks, abort, deadline);
  return hooks.detached === undefined ? send() : hooks.detached(send);
}

async function sendAttempts(
  body: Uint8Array,
  headers: Record<string, string>,
  config: OtlpConfig,
  hooks: TransportHooks,
  abort: AbortLike,
  deadline: number,
): Promise<DeliveryResult> {
  const policy = config.retry;
  let lastFailure = '';
  for (let attempt = 1; ; attempt++) {
    if (abort.aborted)
      return { ok: false, attempts: attempt - 1, kind: 'aborted', message: 'shut down' };
    const remaining = deadline - hooks.now();
    if (remaining <= 0) {
      return {
        ok: false,
        attempts: attempt - 1,
        kind: 'timeout',
        message: timeoutMessage(config, lastFailure),
      };
    }
    const outcome = await attemptOnce(body, headers, config, hooks, abort, remaining);
    if (outcome.type === 'delivered') {
      return outcome.partialSuccess
        ? { ok: true, attempts: attempt, partialSuccess: outcome.partialSuccess }
        : { ok: true, attempts: attempt };
    }
    if (outcome.type === 'fatal') {
      return { ok: false, attempts: attempt, kind: outcome.kind, message: outcome.message };
    }
    lastFailure = outcome.message;
    if (attempt >= policy.maxAttempts) {
      return {
        ok: false,
        attempts: attempt,
        kind: 'retries-exhausted',
        message: `gave up after ${attempt} attempts (${outcome.message})`,
      };
    }
    const delay = outcome.retryAfter ?? backoffDelay(attempt, policy, hooks.random);
    if (hooks.now() + delay >= deadline) {
      return {
        ok: false,
        attempts: attempt,
        kind: 'timeout',
        message: timeoutMessage(config, lastFailure),
      };
    }
    await hooks.sleep(delay, abort);
  }
}

function timeoutMessage(config: OtlpConfig, lastFailure: string): string {
  const after = lastFailure ? `; last attempt: ${lastFailure}` : '';
  return `export to ${shownUrl(config.url)} did not complete within ${config.timeoutMillis} ms${after}`;
}

type AttemptOutcome =
  | { type: 'delivered'; partialSuccess?: PartialSuccess }
  | { type: 'retry'; message: string; retryAfter?: number }
  | { type: 'fatal'; kind: FailureKind; message: string };

async function attemptOnce(
  body: Uint8Array,
  headers: Record<string, string>,
  config: OtlpConfig,
  hooks: TransportHooks,
  abort: AbortLike,
  remaining: number,
): Promise<AttemptOutcome> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = unrefTimer(() => {
    timedOut = true;
    controller.abort();
  }, remaining);
  const onAbort = () => controller.abort();
  abort.addEventListener('abort', onAbort);
  let sent: Promise<Response> | undefined;
  try {
    const init: RequestInit & { next: { internal: boolean } } = {
      method: 'POST',
      headers,
      body: body as Uint8Array<ArrayBuffer>,
      signal: controller.signal,
      // Followed, a 301-303 turns into a GET without the spans (whose 200 would pass for their
      // delivery) and a 307/308 throws in Node's fetch, which cannot send the body again.
      redirect: 'manual',
      // Next.js: keep this request out of its fetch instrumentation and data cache.
      next: { internal: true },
    };
    // The exporter's own request is never traced, whichever tracer instruments fetch.
    sent = context.with(suppressTracing(context.active()), () => hooks.fetch(config.url, init));
    // A `fetch` given as an option may not heed the signal (nor its body): the deadline holds
    // all the same, for the headers and for the body.
    const aborted = whenAborted(controller.signal);
    const response = await Promise.race([sent, aborted]);
    if (response.ok) return await delivered(response, aborted);
    // read (a little) so that the connection can be reused
    const answer = await readLimited(response, aborted);
    const message = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    if (isRetryableStatus(response.status)) {
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'), Date.now());
      return retryAfter === undefined
        ? { type: 'retry', message }
        : { type: 'retry', message, retryAfter };
    }
    // Not ok and below 400: a 3xx, or in a browser an opaque redirect (status 0, no headers).
    if (response.status < 400) {
      const location = response.headers.get('location');
      const to = location === null ? '' : ` to ${shownLocation(location, config.url)}`;
      return {
        type: 'fatal',
        kind: 'redirect',
        message: `${shownUrl(config.url)} answered ${response.status ? message : 'a redirect'}${to}; redirects are not followed`,
      };
    }
    // A 400's Status says what the backend could not take. Only a 400's: another status's body
    // may echo what was sent, credentials included.
    const status =
      response.status === 400 && answer
        ? readStatusMessage(answer, response.headers.get('content-type'))
        : undefined;
    return {
      type: 'fatal',
      kind: 'http-status',
      message: `${shownUrl(config.url)} answered ${message}${status ? `: ${status}` : ''}`,
    };
  } catch (error) {
    // A response whose headers arrive after all (a `fetch` that did not heed the signal) is not
    // read: its body is cancelled, which lets the connection go instead of holding it open for
    // nobody. (A body that stalls after the headers stays locked by its reader; such a `fetch`
    // is left to end it.)
    if (controller.signal.aborted) Promise.resolve(sent).then(cancelBody, () => undefined);
    if (timedOut) {
      return { type: 'fatal', kind: 'timeout', message: timeoutMessage(config, 'no response') };
    }
    if (abort.aborted) return { type: 'fatal', kind: 'aborted', message: 'shut down' };
    return { type: 'retry', message: `network error: ${describe(error)}` };
  } finally {
    clearTimeout(timer);
    abort.removeEventListener('abort', onAbort);
  }
}

function cancelBody(response: Response | undefined): void {
  try {
    response?.body?.cancel().catch(() => undefined);
  } catch {
    // not a Response after all: nothing to let go
  }
}

/** Rejects once `signal` aborts (never settles otherwise); the rejection counts as handled. */
function whenAborted(signal: AbortSignal): Promise<never> {
  const aborted = new Promise<never>((_, reject) => {
    signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
  });
  aborted.catch(() => undefined);
  return aborted;
}

/**
 * The backend has the spans once it answers 2xx: a body that then fails to arrive (a dropped
 * connection, the deadline) loses only the partial-success report, and is not a reason to send
 * the spans again.
 */
async function delivered(response: Response, aborted: Promise<never>): Promise<AttemptOutcome> {
  const body = await readLimited(response, aborted);
  const partialSuccess = body && readPartialSuccess(body, response.headers.get('content-type'));
  return partialSuccess ? { type: 'delivered', partialSuccess } : { type: 'delivered' };
}

/**
 * The most of a response body read: an OTLP answer (a partial success, a `Status`) is small, and a
 * wrong or hostile endpoint may send hundreds of megabytes, or a gzip bomb, or never end.
 */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * A response's body when it is at most `MAX_RESPONSE_BYTES`; undefined when it is longer (the rest
 * is not read: the stream is cancelled), fails, or is cut off by `aborted`. Never rejects.
 */
async function readLimited(
  response: Response,
  aborted: Promise<never>,
): Promise<Uint8Array | undefined> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    const stream = response.body;
    if (stream === null) return new Uint8Array(0);
    reader = stream.getReader();
    const chunks: Uint8Array[] = [];
    let length = 0;
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) break;
      length += value.length;
      if (length > MAX_RESPONSE_BYTES) {
        reader.cancel().catch(() => undefined);
        return undefined;
      }
      chunks.push(value);
    }
    const body = new Uint8Array(length);
    let at = 0;
    for (const chunk of chunks) {
      body.set(chunk, at);
      at += chunk.length;
    }
    return body;
  } catch {
    reader?.cancel().catch(() => undefined);
    return undefined;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

/**
 * The real world: global fetch, the monotonic clock (deadlines are durations; and while Next.js
 * prerenders a route, it counts a read of `Date.now()` as the route's own IO), timers and
 * Math.random.
 */
export function defaultTransportHooks(fetchImpl?: typeof fetch): TransportHooks {
  return {
    fetch: fetchImpl ?? ((input, init) => globalThis.fetch(input, init)),
    now: () => performance.now(),
    random: Math.random,
    detached: detachedScope(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        if (signal.aborted) return resolve();
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        };
        // Not unref'd: a script awaiting `shutdown()` must not exit between two attempts (the
        // export's deadline bounds the wait).
        const timer = setTimeout(done, ms);
        signal.addEventListener('abort', done);
      }),
  };
}

/** The endpoint for a message: without its query, where a token may have been put. */
function shownUrl(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : `${url.slice(0, query)}?…`;
}

/** A redirect's `Location` for a message: resolved, without credentials, query or fragment. */
function shownLocation(location: string, endpoint: string): string {
  try {
    const url = new URL(location, endpoint);
    url.username = url.password = url.hash = '';
    return shownUrl(url.href);
  } catch {
    return 'an unreadable Location';
  }
}
