/**
 * For tests that hostile input costs time linear in its size: timing on a shared machine is noisy,
 * so nothing is a tight bound. `timeRatio` runs batches long enough to be measured (≥ 4 ms for the
 * small input), keeps the fastest of three, and returns how much longer the large input took than
 * the small one, and the large input's time per run. With a 16× larger input, linear work takes
 * up to 16× as long and quadratic work 256×: tests fail above 48×.
 */
export function timeRatio(
  makeRun: (size: number) => () => void,
  small: number,
  large: number,
): { ratio: number; largeMs: number } {
  const runSmall = makeRun(small);
  const runLarge = makeRun(large);
  let count = 1;
  while (fastestBatch(runSmall, count) < 4 && count < 1 << 20) count *= 2;
  const smallMs = fastestBatch(runSmall, count);
  const largeMs = fastestBatch(runLarge, count);
  return { ratio: largeMs / smallMs, largeMs: largeMs / count };
}

function fastestBatch(run: () => void, count: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let batch = 0; batch < 3; batch++) {
    const start = performance.now();
    for (let i = 0; i < count; i++) run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/** `pattern` repeated, cut to `size` characters. */
export function fill(pattern: string, size: number): string {
  return pattern.repeat(Math.ceil(size / pattern.length)).slice(0, size);
}
