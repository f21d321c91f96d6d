/**
 * The app's `basePath` in `http.route`, where it comes from in a real app: Next.js's bundler writes
 * `process.env.__NEXT_ROUTER_BASEPATH` into the code it bundles, the edge runtime's included, where
 * there is no `process` to read otherwise. The built package, bundled for the edge as Next.js does
 * it, run in the edge VM: with the define, an edge route's span is `GET /docs/api/edge`; without
 * it, nothing is prefixed and nothing throws.
 */
import { expect, it } from 'vitest';
import { bundleForEdge, createEdgeVM } from '../../../scripts/edge/edge-suite';

const fixture = new URL('./fixtures/edge-route-span.ts', import.meta.url).pathname;

async function edgeRouteSpan(define: Record<string, string>): Promise<unknown> {
  const vm = createEdgeVM();
  vm.evaluate(await bundleForEdge(fixture, define));
  return vm.evaluate('__run()');
}

it("prefixes an edge route's http.route with the basePath Next.js's bundler defined", async () => {
  const defined = { 'process.env.__NEXT_ROUTER_BASEPATH': '"/docs"' };
  expect(await edgeRouteSpan(defined)).toEqual(['GET /docs/api/edge', '/docs/api/edge']);
}, 60_000);

it('prefixes nothing where no basePath was defined, and does not throw without process', async () => {
  expect(await edgeRouteSpan({})).toEqual(['GET /api/edge', '/api/edge']);
}, 60_000);
