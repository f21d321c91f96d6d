/**
 * The app's `basePath` in `http.route`, where it comes from in a real app: Next.js's bundler writes
 * `process.env.__NEXT_ROUTER_BASEPATH` into the code it bundles, the edge runtime's included, where
 * there is no `process` to read otherwise. The built package, bundled for the edge as Next.js does
 * it, run in the edge VM: with the define, an edge route's span is `GET /docs/api/edge`; without
 * it, nothing is prefixed and nothing throws.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { EdgeVM } from '@edge-runtime/vm';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

async function edgeRouteSpan(define: Record<string, string>): Promise<[string, unknown]> {
  const bundled = await build({
    stdin: {
      contents: `import { trace, SpanKind } from '@opentelemetry/api';
import { registerTracing, withTracing } from '@spanlite/next';
const ended = [];
const exporter = { export(spans, done) { ended.push(...spans); done({ code: 0 }); }, shutdown: async () => {} };
const handle = registerTracing({ env: {}, exporter, instrumentFetch: false });
const handler = withTracing(async () => new Response('ok'), { route: '/api/edge' });
globalThis.__run = async () => {
  // Next.js's outermost span in its edge sandbox
  await trace.getTracer('next.js').startActiveSpan('GET', { kind: SpanKind.INTERNAL }, async (root) => {
    await handler(new Request('http://localhost:3000/docs/api/edge'));
    root.end();
  });
  await handle.forceFlush();
  return ended.map((span) => [span.name, span.attributes['http.route']])[0];
};`,
      resolveDir: new URL('.', import.meta.url).pathname,
    },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'neutral',
    target: 'es2022',
    mainFields: ['module', 'main'],
    conditions: ['edge-light', 'worker', 'browser', 'module', 'import', 'default'],
    define,
    logLevel: 'silent',
  });
  const vm = new EdgeVM({ extend: (context) => Object.assign(context, { AsyncLocalStorage }) });
  vm.evaluate(bundled.outputFiles[0]!.text);
  return vm.evaluate('__run()');
}

it("prefixes an edge route's http.route with the basePath Next.js's bundler defined", async () => {
  const defined = { 'process.env.__NEXT_ROUTER_BASEPATH': '"/docs"' };
  expect(await edgeRouteSpan(defined)).toEqual(['GET /docs/api/edge', '/docs/api/edge']);
}, 60_000);

it('prefixes nothing where no basePath was defined, and does not throw without process', async () => {
  expect(await edgeRouteSpan({})).toEqual(['GET /api/edge', '/api/edge']);
}, 60_000);
