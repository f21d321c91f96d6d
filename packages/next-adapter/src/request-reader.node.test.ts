/**
 * Next.js hands a route handler a proxy of its request that reports each read of `url` and
 * `headers` to the store of the work in progress (an AsyncLocalStorage); while it prerenders a
 * route, a reported read makes the route dynamic. The wrapper's own reads must not be reported.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DiagLogLevel, diag, SpanKind, trace } from '@opentelemetry/api';
import { afterEach, expect, it, vi } from 'vitest';
import { setupTracing, type TestTracing } from '../test/setup-tracing';
import { withTracing } from './with-tracing';

// workerd's refusal to enter an async context made in another request, on spanlite's own resources
const { refusing, refusingAsyncHooks } = await vi.hoisted(
  () => import('../../../scripts/refusing-async-hooks'),
);
vi.mock('node:async_hooks', refusingAsyncHooks);

interface WorkUnit {
  type: 'prerender-legacy' | 'request';
  reported: string[];
}

const workUnits = new AsyncLocalStorage<WorkUnit>();

/** As Next.js's `proxyNextRequest`: reads of `url` and `headers` reported to the work unit. */
function nextRequestProxy(request: Request): Request {
  return new Proxy(request, {
    get(target, property) {
      if (property === 'url' || property === 'headers') {
        workUnits.getStore()?.reported.push(property);
      }
      return Reflect.get(target, property, target);
    },
  });
}

let setup: TestTracing | undefined;
afterEach(async () => {
  await setup?.teardown();
  setup = undefined;
});

async function prerender(handler: (request: Request) => Promise<Response>): Promise<WorkUnit> {
  const unit: WorkUnit = { type: 'prerender-legacy', reported: [] };
  const request = new Request('http://app.test/api/stock', { headers: { 'user-agent': 'ua/1' } });
  await workUnits.run(unit, () => handler(nextRequestProxy(request)));
  return unit;
}

it('reads the request without Next.js taking it for a read of the handler, which would make the route dynamic', async () => {
  setup = setupTracing(); // registered as in register(): outside any request
  const unit = await prerender(
    withTracing(async () => Response.json({ at: 1 }), { route: '/api/stock' }),
  );
  expect(unit.reported).toEqual([]);
  const [span] = await setup.spans();
  expect(span!.name).toBe('GET /api/stock');
  expect(span!.attributes).toMatchObject({
    'url.path': '/api/stock',
    'user_agent.original': 'ua/1',
  });
});

it("leaves the handler's own reads reported as they are", async () => {
  setup = setupTracing();
  const unit = await prerender(
    withTracing(async (request: Request) => new Response(request.headers.get('user-agent'))),
  );
  expect(unit.reported).toEqual(['headers']);
});

it('adds no trace headers to a response Next.js caches (it goes to every client), and adds them otherwise', async () => {
  // Next.js 16.5 keeps its work-unit store on globalThis under a symbol naming its version
  const key = Symbol.for('@next/work-unit-async-storage@16.5.0');
  (globalThis as Record<symbol, unknown>)[key] = workUnits;
  try {
    setup = setupTracing();
    const handler = withTracing(async () => Response.json({ at: 1 }), { route: '/api/stock' });
    const tracer = trace.getTracer('next.js');
    const answered = async (type: WorkUnit['type']) => {
      const request = new Request('http://app.test/api/stock');
      // inside Next.js's request span, as Next.js calls a route handler
      const response = await workUnits.run({ type, reported: [] }, () =>
        tracer.startActiveSpan('GET', { kind: SpanKind.SERVER }, async (root) => {
          const answer = await handler(request);
          root.end();
          return answer;
        }),
      );
      return [response.headers.has('traceresponse'), response.headers.has('server-timing')];
    };
    expect(await answered('prerender-legacy')).toEqual([false, false]);
    expect(await answered('request')).toEqual([true, true]);
  } finally {
    delete (globalThis as Record<symbol, unknown>)[key];
  }
});

it('warns when registered inside a request, whose async context it would keep', async () => {
  const key = Symbol.for('@next/work-unit-async-storage@16.5.0');
  (globalThis as Record<symbol, unknown>)[key] = workUnits;
  const warnings: string[] = [];
  const log = (message: string) => void warnings.push(message);
  diag.setLogger({ error: log, warn: log, info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
  try {
    setup = setupTracing(); // at start-up: nothing said
    await setup.teardown();
    setup = workUnits.run({ type: 'request', reported: [] }, () => setupTracing());
    expect(warnings).toEqual([
      expect.stringMatching(/registerTracing ran while Next\.js handled a request/),
    ]);
  } finally {
    diag.disable();
    delete (globalThis as Record<symbol, unknown>)[key];
  }
});

it("reads requests in their own context where the runtime refuses to enter registerTracing's (workerd)", async () => {
  setup = setupTracing();
  refusing.on = true;
  refusing.calls = 0;
  try {
    const handler = withTracing(async () => new Response('ok'), { route: '/api/items' });
    for (const path of ['/api/items?a=1', '/api/items?a=2']) {
      const response = await handler(new Request(`http://app.test${path}`));
      expect(response.headers.has('traceresponse')).toBe(true);
    }
    const spans = await setup.spans();
    expect(spans.map((s) => s.attributes['url.query'])).toEqual(['a=1', 'a=2']);
    expect(refusing.calls).toBe(1);
  } finally {
    refusing.on = false;
  }
});

it('keeps reading requests outside theirs after one whose reading throws', async () => {
  setup = setupTracing();
  const handler = withTracing(async () => new Response('ok'));
  const broken = new Proxy(new Request('http://app.test/x'), {
    get(target, property) {
      if (property === 'url') throw new Error('unreadable');
      return Reflect.get(target, property, target);
    },
  });
  // the handler still runs (untraced); reading outside the request is not given up for it
  expect((await handler(broken)).status).toBe(200);
  expect((await prerender(handler)).reported).toEqual([]);
  const spans = await setup.spans();
  expect(spans.map((s) => s.attributes['url.path'])).toEqual(['/api/stock']);
});
