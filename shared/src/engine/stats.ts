// Small statistics the analytics need, with no dependencies.

export const median = (values: readonly number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Percentile rank of `value` among `values` (mid-rank for ties), 0–100. */
export const percentileRank = (value: number, values: readonly number[]): number => {
  if (values.length === 0) return 50;
  let below = 0;
  let equal = 0;
  for (const v of values) {
    if (v < value) below++;
    else if (v === value) equal++;
  }
  return ((below + equal / 2) / values.length) * 100;
};

export interface Interval {
  low: number;
  high: number;
}

/** The 95 % Wilson score interval of a proportion: honest at small samples and near 0 or 1, unlike the normal approximation. */
export const wilson = (successes: number, trials: number, z = 1.959964): Interval | null => {
  if (trials === 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / (1 + z2 / trials);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
};

/** Least-squares slope of y over x = 0, 1, 2, …, or null with fewer than `min` points. */
export const slope = (ys: readonly number[], min = 3): number | null => {
  if (ys.length < min) return null;
  const n = ys.length;
  const meanX = (n - 1) / 2;
  const meanY = ys.reduce((s, y) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  });
  return den === 0 ? 0 : num / den;
};

export const round = (value: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};
