import { context, propagation, trace } from '@opentelemetry/api';
import type { FinishedSpan } from '@spanlite/core';
import { InMemorySpanExporter } from '@spanlite/exporters';
import { uninstrumentFetch } from '../src/instrument-fetch';
import {
  type RegisterTracingOptions,
  registerTracing,
  type TracingHandle,
} from '../src/register-tracing';
import { setTracingState } from '../src/tracing-state';

export interface FetchCall {
  url: string;
  /** The headers, method and body a real fetch would send for the call. */
  headers: Headers;
  method: string;
  body: string;
}

export interface TestTracing {
  handle: TracingHandle;
  exporter: InMemorySpanExporter;
  /** What reached the network: each call's URL and headers. */
  calls: FetchCall[];
  /** Flushes, then the exported spans. */
  spans(): Promise<FinishedSpan[]>;
  teardown(): Promise<void>;
}

/**
 * `registerTracing` with an in-memory exporter, over a fake network: the `fetch` underneath the
 * instrumented one records each call and answers with `respond`'s response.
 */
export function setupTracing(
  options: RegisterTracingOptions = {},
  respond: (url: string, headers: Headers) => Response = () => new Response('downstream'),
): TestTracing {
  const realFetch = globalThis.fetch;
  const calls: FetchCall[] = [];
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    const sent = new Request(input, init);
    calls.push({
      url,
      headers: sent.headers,
      method: sent.method,
      body: await sent.text(),
    });
    return respond(url, sent.headers);
  }) as typeof fetch;
  const exporter = new InMemorySpanExporter();
  const handle = registerTracing({ serviceName: 'test', exporter, env: {}, ...options });
  return {
    handle,
    exporter,
    calls,
    async spans() {
      await handle.forceFlush();
      return exporter.getFinishedSpans();
    },
    async teardown() {
      await handle.shutdown();
      uninstrumentFetch();
      globalThis.fetch = realFetch;
      setTracingState(undefined);
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** A function that tells whether `promise` has settled yet (a flush handed to `waitUntil`, say). */
export function settledFlag(promise: Promise<unknown>): () => boolean {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  return () => done;
}

/**
 * Runs `body` with a request context (`globalThis[Symbol.for(name)]`, Next.js's by default) whose
 * `waitUntil` collects the promises it is given; returns them.
 */
export async function withNextRequestContext(
  body: () => Promise<void>,
  name = '@next/request-context',
): Promise<Promise<unknown>[]> {
  const waited: Promise<unknown>[] = [];
  const key = Symbol.for(name);
  const g = globalThis as unknown as Record<symbol, unknown>;
  g[key] = { get: () => ({ waitUntil: (p: Promise<unknown>) => void waited.push(p) }) };
  try {
    await body();
  } finally {
    delete g[key];
  }
  return waited;
}
