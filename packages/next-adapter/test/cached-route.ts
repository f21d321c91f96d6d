import { expect } from 'vitest';

const pause = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

/**
 * Asks `url` (the example's `/api/stock`, `revalidate = 1`) past its revalidation three times:
 * each answer is still a cached one, and the route was regenerated in between. A route that the
 * wrapper's reading of the request had made dynamic answers `private, no-store` from its first
 * regeneration on. `traceHeaders: 'none'` (Next.js 16.5, whose prerenders the wrapper can tell):
 * no cached answer carries a `traceresponse`; Next.js 15 stores the regeneration's.
 */
export async function expectStaysCached(
  url: string,
  { traceHeaders }: { traceHeaders: 'none' | 'any' },
): Promise<void> {
  const get = async () => {
    const response = await fetch(url);
    const { generatedAt } = (await response.json()) as { generatedAt: number };
    // 'none': a cached answer goes to every client, so it names no request's trace
    if (traceHeaders === 'none') expect(response.headers.get('traceresponse')).toBeNull();
    return { control: response.headers.get('cache-control'), generatedAt };
  };
  const generated = new Set<number>();
  for (let round = 0; round < 3; round++) {
    await pause(1_100);
    const stale = await get(); // answered from the cache, regenerated behind
    await pause(300);
    const regenerated = await get();
    for (const { control } of [stale, regenerated]) expect(control).toMatch(/^s-maxage=1(,|$)/);
    generated.add(regenerated.generatedAt);
  }
  expect(generated.size).toBeGreaterThan(1);
}
