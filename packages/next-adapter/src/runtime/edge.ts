// Edge-safe runtime bindings (edge routes, middleware, Workers). The node build replaces this file
// with ./node.ts (see scripts/tsup-runtime.ts).
import type { Context, Span, TextMapPropagator } from '@opentelemetry/api';
import type { FinishedSpan } from '@spanlite/core';
import type { RequestSpans } from '../incoming-headers';
import { type RequestData, readRequest } from '../request-data';
import type { RequestOrigins } from '../request-scope';

/**
 * The propagator to register with `@opentelemetry/api`. In an edge runtime the request's headers
 * are Web `Headers`, whose context the wrappers continue themselves: the configured one as it is.
 */
export function globalPropagator(propagator: TextMapPropagator): TextMapPropagator {
  return propagator;
}

/**
 * A span starting: Next.js's request span in its node server (see the node build's
 * incoming-headers.ts). None in an edge runtime, where Next.js starts no SERVER span.
 */
export function requestSpanStarting(
  _tracker: RequestSpans,
  _span: Span & FinishedSpan,
  _parentContext: Context,
): void {}

type Fetch = typeof fetch;

/**
 * Installs the traced `fetch`: plainly in an edge runtime (the node build keeps it in place when
 * Next.js's dev server puts the original back, see fetch-property.ts; Next.js's edge sandbox is
 * made anew instead).
 */
export function setGlobalFetch(g: { fetch?: Fetch }, _original: Fetch, traced: Fetch): void {
  g.fetch = traced;
}

/** Whether `globalThis.fetch` is the node build's accessor: never in an edge runtime. */
export function hasFetchAccessor(_g: object): boolean {
  return false;
}

/** Puts `value` in `globalThis.fetch`. */
export function unsetGlobalFetch(g: { fetch?: Fetch }, value: Fetch | undefined): void {
  if (value !== g.fetch) g.fetch = value;
}

/**
 * Fits an OpenTelemetry instrumentation to spanlite: nothing to do in an edge runtime (the node
 * build keeps `@opentelemetry/instrumentation-undici` off the edge sandbox's exports, see
 * undici-exports.ts).
 */
export function adaptInstrumentation(_instrumentation: object): void {}

/**
 * The origins of the request whose Next.js span is `root`, for outbound fetch from code no
 * wrapper handles: none in an edge runtime, whose requests are Web `Request`s (see the node
 * build's incoming-headers.ts).
 */
export function requestOriginsOf(
  _root: object | undefined,
  _context: Context,
): RequestOrigins | undefined {
  return undefined;
}

/**
 * The runtime running Next.js's Node.js server, for the resource: the node build tells Node.js,
 * Bun and Deno apart (see server-runtime.ts); the edge build describes an edge runtime.
 */
export function serverRuntime(): [name: string, version: string | undefined] {
  return ['nodejs', undefined];
}

/** `NEXT_RUNTIME` as Next.js's bundler writes it: the edge sandbox has it in its environment. */
export function bundledNextRuntime(): string | undefined {
  return undefined;
}

/**
 * Reads a request's URL and headers: as they are in an edge runtime, where Next.js prerenders
 * nothing (see the node build's request-reader.ts).
 */
export function requestReader(): (request: Request) => RequestData {
  return readRequest;
}

/** Whether Next.js is prerendering the route: never in an edge runtime (see request-reader.ts). */
export function prerenderDetector(): () => boolean {
  return () => false;
}
