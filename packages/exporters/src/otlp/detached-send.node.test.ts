/**
 * An export asked for at the end of a request is sent from outside that request's async context:
 * Next.js, while it prerenders a route (and under `next dev` while a request fills caches),
 * counts a `fetch` started in the route's context as a cache read the render waits for.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { context } from '@opentelemetry/api';
import {
  AsyncLocalStorageContextManager,
  ExportResultCode,
  isTracingSuppressed,
} from '@spanlite/core';
import { afterEach, expect, it, vi } from 'vitest';
import { finishedSpan } from '../../test/fixtures/finished-spans';
import { OtlpTraceExporter } from './otlp-trace-exporter';

// workerd's refusal to enter an async context made in another request, on spanlite's own resources
const { refusing, refusingAsyncHooks } = await vi.hoisted(
  () => import('../../../../scripts/refusing-async-hooks'),
);
vi.mock('node:async_hooks', refusingAsyncHooks);

const requests = new AsyncLocalStorage<string>();

afterEach(() => {
  context.disable();
});

it('sends from outside the async context of the request that asked, with tracing suppressed', async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager(AsyncLocalStorage).enable());
  const seen: { request: string | undefined; suppressed: boolean }[] = [];
  const exporter = new OtlpTraceExporter({
    url: 'http://collector.test/v1/traces',
    env: {},
    fetch: async () => {
      seen.push({
        request: requests.getStore(),
        suppressed: isTracingSuppressed(context.active()),
      });
      return new Response(null, { status: 200 });
    },
  });
  const result = await requests.run(
    'GET /api/stock',
    () => new Promise((resolve) => exporter.export([finishedSpan()], resolve)),
  );
  expect(result).toEqual({ code: ExportResultCode.SUCCESS });
  expect(seen).toEqual([{ request: undefined, suppressed: true }]);
  await exporter.shutdown();
});

it("sends from the request's own context where the runtime refuses to enter another (workerd)", async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager(AsyncLocalStorage).enable());
  refusing.on = true;
  refusing.calls = 0;
  try {
    const seen: (string | undefined)[] = [];
    const exporter = new OtlpTraceExporter({
      url: 'http://collector.test/v1/traces',
      env: {},
      fetch: async () => {
        seen.push(requests.getStore());
        return new Response(null, { status: 200 });
      },
    });
    for (const request of ['GET /a', 'GET /b']) {
      const result = await requests.run(
        request,
        () => new Promise((resolve) => exporter.export([finishedSpan()], resolve)),
      );
      expect(result).toEqual({ code: ExportResultCode.SUCCESS });
    }
    expect(seen).toEqual(['GET /a', 'GET /b']);
    // asked once: the first refusal is remembered
    expect(refusing.calls).toBe(1);
    await exporter.shutdown();
  } finally {
    refusing.on = false;
  }
});
