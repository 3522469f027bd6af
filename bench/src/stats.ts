/** A summary of repeated measurements of one quantity. */
export interface Summary {
  /** The median (50th percentile). */
  median: number;
  /** The 90th percentile. */
  p90: number;
  min: number;
  max: number;
  /** How many samples. */
  samples: number;
}

/** The `p`-th percentile (0-100) of `values`, by linear interpolation between the closest ranks. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low]!;
  return lowValue + (sorted[high]! - lowValue) * (rank - low);
}

/** The median of `values`. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Median, p90, min and max of `values`. */
export function summarize(values: readonly number[]): Summary {
  return {
    median: median(values),
    p90: percentile(values, 90),
    min: Math.min(...values),
    max: Math.max(...values),
    samples: values.length,
  };
}

/**
 * The least-squares slope of log(y) against log(x): the growth exponent k in y ≈ c·x^k. 1 is linear; a
 * superlinear cost (a scan per task, say) shows up as k > 1.
 */
export function logLogSlope(xs: readonly number[], ys: readonly number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const meanX = lx.reduce((sum, value) => sum + value, 0) / lx.length;
  const meanY = ly.reduce((sum, value) => sum + value, 0) / ly.length;
  let numerator = 0;
  let denominator = 0;
  for (let index = 0; index < lx.length; index++) {
    numerator += (lx[index]! - meanX) * (ly[index]! - meanY);
    denominator += (lx[index]! - meanX) ** 2;
  }
  return numerator / denominator;
}

/** Runs a full garbage collection when the process was started with `--expose-gc`; reports whether it could. */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  gc();
  return true;
}

/** Wall-clock milliseconds `run` takes. */
export async function timeMs(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}
