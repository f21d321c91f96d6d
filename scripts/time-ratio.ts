/**
 * For tests that hostile input costs time linear in its size: timing on a shared machine is noisy,
 * so nothing is a tight bound. `timeRatio` runs batches long enough to be measured (≥ 4 ms for the
 * small input), the small and the large input's in turn, keeps each one's fastest of five, and
 * returns how much longer the large input took than the small one, and the large input's time per
 * run. With a 16× larger input, linear work takes up to 16× as long and quadratic work 256×: tests
 * fail above 48×. Load from other processes only ever makes a batch slower, so a ratio above 32×
 * (and below 128×) is measured again, twice at most, and the lowest kept: a load burst on the
 * large input's batches fails no test, while quadratic work stays above the bound every time.
 */
export function timeRatio(
  makeRun: (size: number) => () => void,
  small: number,
  large: number,
): { ratio: number; largeMs: number } {
  const runSmall = makeRun(small);
  const runLarge = makeRun(large);
  let count = 1;
  while (timeBatch(runSmall, count) < 4 && count < 1 << 20) count *= 2;
  let best = { ratio: Number.POSITIVE_INFINITY, largeMs: Number.POSITIVE_INFINITY };
  for (let attempt = 0; attempt < 3; attempt++) {
    let smallMs = Number.POSITIVE_INFINITY;
    let largeMs = Number.POSITIVE_INFINITY;
    for (let round = 0; round < 5; round++) {
      smallMs = Math.min(smallMs, timeBatch(runSmall, count));
      largeMs = Math.min(largeMs, timeBatch(runLarge, count));
    }
    if (largeMs / smallMs < best.ratio)
      best = { ratio: largeMs / smallMs, largeMs: largeMs / count };
    // 128× and above is no noise: quadratic work fails at once rather than after three attempts
    if (best.ratio <= 32 || best.ratio >= 128) break;
  }
  return best;
}

function timeBatch(run: () => void, count: number): number {
  const start = performance.now();
  for (let i = 0; i < count; i++) run();
  return performance.now() - start;
}

/** `pattern` repeated, cut to `size` characters. */
export function fill(pattern: string, size: number): string {
  return pattern.repeat(Math.ceil(size / pattern.length)).slice(0, size);
}
