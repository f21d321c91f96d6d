import { diag } from '@opentelemetry/api';
import { decodeBaggageValue, type EnvSource, processEnv, readEnvString } from '@spanlite/core';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';
import { resolveTlsFiles, type TlsFileOptions, type TlsFiles } from './tls-files';

export type OtlpProtocol = 'http/protobuf' | 'http/json';
export type OtlpCompression = 'gzip' | 'none';

/**
 * Environment variables as `process.env` holds them; numbers and booleans (a Cloudflare Worker's
 * JSON `[vars]`) are read as their text.
 */
export type EnvLike = EnvSource;

/** What the OTLP exporter is told in code; anything left out comes from the environment. */
export interface OtlpConfigOptions extends TlsFileOptions {
  /** The full URL spans are POSTed to. Default `http://localhost:4318/v1/traces`. */
  url?: string | undefined;
  /** Extra request headers; they win over the ones from the environment. */
  headers?: Record<string, string> | undefined;
  /** Budget of one export, retries included. Default 10 000 ms; 0: no limit (2³¹ − 1 ms). */
  timeoutMillis?: number | undefined;
  /** Default `none`, as the OTel specification says. */
  compression?: OtlpCompression | undefined;
  /** Default `http/protobuf`. */
  protocol?: OtlpProtocol | undefined;
  /**
   * Retry knobs; defaults are OTel's (1 s initial, ×1.5, capped at 5 s, 5 attempts, ±20 %). A knob
   * given as `undefined` is left at its default.
   */
  retry?: RetryOptions | undefined;
  /** Where `OTEL_EXPORTER_OTLP_*` are read. Default `globalThis.process?.env`, if any. */
  env?: EnvLike | undefined;
}

/** `RetryPolicy`'s knobs, each optional (`undefined`: the default). */
export type RetryOptions = { [K in keyof RetryPolicy]?: RetryPolicy[K] | undefined };

export interface OtlpConfig {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMillis: number;
  readonly compression: OtlpCompression;
  readonly protocol: OtlpProtocol;
  readonly retry: RetryPolicy;
  /** The TLS files named, if any (applied by the node build, to https: endpoints). */
  readonly tls?: TlsFiles;
}

export const DEFAULT_OTLP_TRACES_URL = 'http://localhost:4318/v1/traces';
export const DEFAULT_TIMEOUT_MILLIS = 10_000;

/**
 * Resolves options and the `OTEL_EXPORTER_OTLP_[TRACES_]*` variables once, at construction, per
 * the OTel specification: code wins over the environment, the signal-specific variable over the
 * generic one; the signal-specific endpoint is used as-is while the generic one gets
 * `/v1/traces` appended. Invalid values are reported through `diag` and replaced by defaults.
 */
export function resolveOtlpConfig(options: OtlpConfigOptions = {}): OtlpConfig {
  const env = options.env ?? processEnv();
  const read = (name: string): string | undefined => readEnvString(env, name);
  const tls = resolveTlsFiles(options, read);
  return {
    url: resolveUrl(options.url, read),
    headers: mergeHeaders(envHeaders(read), options.headers),
    timeoutMillis: resolveTimeout(options.timeoutMillis, read),
    compression:
      pick(options.compression, read, 'COMPRESSION', ['gzip', 'none'] as const) ?? 'none',
    protocol: resolveProtocol(options.protocol, read),
    retry: resolveRetry(options.retry),
    ...(tls && { tls }),
  };
}

/**
 * `OTEL_EXPORTER_OTLP_TRACES_HEADERS` overrides `OTEL_EXPORTER_OTLP_HEADERS` whole, not entry by
 * entry, as in the Java, Python and Go SDKs: an API key set for the generic endpoint does not go
 * to a traces endpoint set for another backend. Only an unset or blank traces value leaves the
 * generic one; one whose entries are all malformed is reported and sends none (Go and Python do
 * the same; Java refuses to start), rather than the generic endpoint's key.
 */
function envHeaders(read: (name: string) => string | undefined): Record<string, string> {
  const name = read('OTEL_EXPORTER_OTLP_TRACES_HEADERS') === undefined ? '' : 'TRACES_';
  return parseHeaders(
    read(`OTEL_EXPORTER_OTLP_${name}HEADERS`),
    `OTEL_EXPORTER_OTLP_${name}HEADERS`,
  );
}

function resolveUrl(option: string | undefined, read: (name: string) => string | undefined) {
  if (option !== undefined) {
    const url = httpUrl(option, 'the url option');
    if (url !== undefined) return url;
    // The value is not shown: it may hold a password.
    diag.warn('@spanlite/exporters: the url option is not an http: or https: URL; ignored');
  }
  const signal = read('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  if (signal !== undefined) {
    const url = httpUrl(signal, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
    if (url !== undefined) return url;
    diag.warn(`@spanlite/exporters: invalid OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, ignored`);
  }
  const generic = read('OTEL_EXPORTER_OTLP_ENDPOINT');
  if (generic !== undefined) {
    const url = httpUrl(generic, 'OTEL_EXPORTER_OTLP_ENDPOINT');
    if (url !== undefined) return appendTracesPath(url);
    diag.warn(`@spanlite/exporters: invalid OTEL_EXPORTER_OTLP_ENDPOINT, ignored`);
  }
  return DEFAULT_OTLP_TRACES_URL;
}

/**
 * `v1/traces` relative to the generic endpoint taken as a base URL: after its path, with one slash
 * between them, before any query or fragment (which would otherwise swallow the path).
 */
function appendTracesPath(base: string): string {
  const cut = base.search(/[?#]/);
  const path = cut < 0 ? base : base.slice(0, cut);
  const rest = cut < 0 ? '' : base.slice(cut);
  return `${path.replace(/\/+$/, '')}/v1/traces${rest}`;
}

/**
 * `value` when it is an http: or https: URL, else `undefined`. A user name or password in it is
 * removed, with a warning that does not show them: `fetch` refuses every request to a URL with
 * credentials, and the specification asks only for scheme, host, port and path to be honoured
 * (exporter.md, "The implementation MAY ignore all other URL components"). Without credentials the
 * URL is kept as written.
 */
function httpUrl(value: string, name: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username === '' && url.password === '') return value;
  url.username = '';
  url.password = '';
  diag.warn(
    `@spanlite/exporters: user name and password removed from ${name} (fetch refuses them); send an Authorization header in OTEL_EXPORTER_OTLP_HEADERS instead`,
  );
  return url.href;
}

/**
 * `key1=value1,key2=value2` with percent-encoded values (the W3C baggage format the OTel
 * specification names, without properties), decoded as W3C Baggage decodes them
 * (core's `decodeBaggageValue`: a `%` that starts no escape is kept). An entry is skipped, with one
 * warning for all, when it has no `=`, when its key is not an HTTP token (RFC 9110 field name), or
 * when its decoded value is not something a request header can carry (no CR, LF or NUL, no
 * character above U+00FF, so no U+FFFD either): `fetch` would otherwise throw on every export.
 */
export function parseHeaders(value: string | undefined, name: string): Record<string, string> {
  const headers: Record<string, string> = {};
  if (value === undefined) return headers;
  let malformed = false;
  for (const entry of value.split(',')) {
    if (entry.trim() === '') continue;
    const equals = entry.indexOf('=');
    const key = equals > 0 ? entry.slice(0, equals).trim() : '';
    const decoded = decodeBaggageValue(entry.slice(equals + 1).trim());
    if (!HEADER_NAME.test(key) || !HEADER_VALUE.test(decoded)) {
      malformed = true;
      continue;
    }
    setHeader(headers, key, decoded);
  }
  if (malformed) diag.warn(`@spanlite/exporters: malformed entries in ${name} skipped`);
  return headers;
}

/** RFC 9110 `token`: the characters a header name may have. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What `fetch` accepts in a header value: Latin-1 without NUL, CR or LF. */
const HEADER_VALUE = /^[^\0\r\n\u0100-\uffff]*$/;

/**
 * Header sets laid over each other, later ones winning. Header names are case-insensitive: a
 * later `authorization` replaces an earlier `Authorization` instead of both being sent (which
 * `fetch` would join into one value, `a, b`).
 */
export function mergeHeaders(
  ...sets: Array<Readonly<Record<string, string>> | undefined>
): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const set of sets) {
    if (set === undefined) continue;
    for (const key of Object.keys(set)) setHeader(merged, key, set[key]!);
  }
  return merged;
}

/** Sets `key`, removing any other spelling of the same header name first. */
export function setHeader(headers: Record<string, string>, key: string, value: string): void {
  const lower = key.toLowerCase();
  for (const existing of Object.keys(headers)) {
    if (existing !== key && existing.toLowerCase() === lower) delete headers[existing];
  }
  headers[key] = value;
}

/**
 * The OTel specification's Timeout type: whole milliseconds, 0 meaning no limit (taken as the
 * longest delay timers accept); anything else invalid is reported and treated as unset, so that
 * the generic variable or the default applies. Delays past what timers accept are capped there:
 * beyond it Node's and browsers' timers fire at once, which would time out every export.
 */
function resolveTimeout(option: number | undefined, read: (name: string) => string | undefined) {
  if (option !== undefined) {
    if (option === 0) return MAX_TIMER_MILLIS;
    if (Number.isFinite(option) && option > 0) return Math.min(option, MAX_TIMER_MILLIS);
    diag.warn(`@spanlite/exporters: invalid timeoutMillis ${option}, ignored`);
  }
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT']) {
    const value = read(name);
    if (value === undefined) continue;
    if (/^\d+$/.test(value)) {
      const millis = Number(value);
      return millis === 0 ? MAX_TIMER_MILLIS : Math.min(millis, MAX_TIMER_MILLIS);
    }
    diag.warn(`@spanlite/exporters: invalid ${name} ${JSON.stringify(value)}, ignored`);
  }
  return DEFAULT_TIMEOUT_MILLIS;
}

/** The longest delay `setTimeout` honours (2³¹ − 1 ms, about 24.8 days). */
export const MAX_TIMER_MILLIS = 2_147_483_647;

/**
 * `http/protobuf` or `http/json`; `grpc` (any case) is a protocol the specification names but this
 * exporter does not speak: it is reported, and protobuf over HTTP is sent instead.
 */
function resolveProtocol(
  option: OtlpProtocol | undefined,
  read: (name: string) => string | undefined,
): OtlpProtocol {
  if ((option as string | undefined)?.toLowerCase() === 'grpc') return grpcFallback();
  const found = pick(option, read, 'PROTOCOL', ['http/protobuf', 'http/json', 'grpc'] as const);
  if (found === 'grpc') return grpcFallback();
  return found ?? 'http/protobuf';
}

function grpcFallback(): OtlpProtocol {
  diag.warn('@spanlite/exporters: OTLP/gRPC is not supported, sending http/protobuf');
  return 'http/protobuf';
}

/**
 * An enum setting: the option, else the signal-specific variable, else the generic one (values
 * case-insensitive). An unrecognised value is reported and ignored, as if unset (the
 * specification's Enum rule), so that the next source applies.
 */
function pick<T extends string>(
  option: T | undefined,
  read: (name: string) => string | undefined,
  suffix: string,
  allowed: readonly T[],
): T | undefined {
  if (option !== undefined) {
    if (allowed.includes(option)) return option;
    diag.warn(`@spanlite/exporters: invalid ${suffix.toLowerCase()} ${option}, ignored`);
  }
  for (const name of [`OTEL_EXPORTER_OTLP_TRACES_${suffix}`, `OTEL_EXPORTER_OTLP_${suffix}`]) {
    const value = read(name)?.toLowerCase();
    if (value === undefined) continue;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    diag.warn(`@spanlite/exporters: invalid ${name} ${value}, ignored`);
  }
  return undefined;
}

function resolveRetry(option: RetryOptions | undefined): RetryPolicy {
  // A knob given as `undefined` keeps its default, as one left out does: spread over the defaults,
  // it failed the check below, and every other knob given was dropped with it.
  const policy: { -readonly [K in keyof RetryPolicy]: RetryPolicy[K] } = {
    ...DEFAULT_RETRY_POLICY,
  };
  for (const key of Object.keys(policy) as (keyof RetryPolicy)[]) {
    const value = option?.[key];
    if (value !== undefined) policy[key] = value;
  }
  const valid =
    Number.isInteger(policy.maxAttempts) &&
    policy.maxAttempts >= 1 &&
    policy.initialBackoffMillis >= 0 &&
    policy.maxBackoffMillis >= 0 &&
    policy.backoffMultiplier >= 1 &&
    policy.jitter >= 0 &&
    policy.jitter <= 1;
  if (valid) return policy;
  diag.warn('@spanlite/exporters: invalid retry options, using the defaults');
  return DEFAULT_RETRY_POLICY;
}
