// Node only: the edge VM's test runner has no fake timers.
import { context, SpanKind, trace } from '@opentelemetry/api';
import { afterEach, expect, it, vi } from 'vitest';
import { settledFlag, setupTracing, type TestTracing } from '../test/setup-tracing';
import { withTracing } from './with-tracing';

let setup: TestTracing | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await setup?.teardown();
  setup = undefined;
});

const request = (path: string) => new Request(`http://app.test:3000${path}`);

it('keeps waitUntil pending through a response that streams for 40 s, until the root ends', async () => {
  setup = setupTracing();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
  try {
    const tracer = trace.getTracer('next.js');
    const waited: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => void waited.push(p) };
    const handler = withTracing(async (_r: Request, _c: typeof ctx) => new Response('streamed…'), {
      route: '/api/chat',
    });
    const root = tracer.startSpan('GET', { kind: SpanKind.SERVER });
    await context.with(trace.setSpan(context.active(), root), () =>
      handler(request('/api/chat'), ctx),
    );
    const isDone = settledFlag(waited[0]!);
    await vi.advanceTimersByTimeAsync(40_000); // the response body still streaming
    expect(isDone()).toBe(false);
    root.end(); // Next.js ends its span once the last chunk is sent
    await vi.advanceTimersByTimeAsync(100);
    expect(isDone()).toBe(true);
    expect(setup.exporter.getFinishedSpans().map((s) => s.name)).toEqual(['GET /api/chat']);
  } finally {
    vi.useRealTimers();
  }
});
