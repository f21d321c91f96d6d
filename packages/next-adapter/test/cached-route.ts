import { expect } from 'vitest';

const pause = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

/**
 * Asks `url` (the example's `/api/stock`, `revalidate = 1`) past its revalidation three times:
 * each answer is still a cached one, and the route was regenerated in between. A route that the
 * wrapper's reading of the request had made dynamic answers `private, no-store` from its first
 * regeneration on.
 */
export async function expectStaysCached(url: string): Promise<void> {
  const get = async () => {
    const response = await fetch(url);
    const { generatedAt } = (await response.json()) as { generatedAt: number };
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
