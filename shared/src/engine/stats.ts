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

/** P(X ≤ k) for X ~ Poisson(lambda): how surprising a count this low is when lambda was expected. */
export const poissonAtMost = (k: number, lambda: number): number => {
  if (lambda <= 0) return 1;
  if (k < 0) return 0;
  let term = Math.exp(-lambda);
  let sum = term;
  for (let i = 1; i <= Math.floor(k); i++) {
    term *= lambda / i;
    sum += term;
  }
  return Math.min(1, sum);
};

/**
 * One-sided z of "rate a is below rate b" for two proportions (pooled standard error); 0 when either side is empty.
 * Positive: a is lower.
 */
export const proportionGapZ = (wonA: number, nA: number, wonB: number, nB: number): number => {
  if (!nA || !nB) return 0;
  const pooled = (wonA + wonB) / (nA + nB);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB));
  return se === 0 ? 0 : (wonB / nB - wonA / nA) / se;
};

/** A rate pulled towards `prior` by `strength` pseudo-trials: few deals say little, many say a lot. */
export const shrunkRate = (successes: number, trials: number, prior: number, strength: number): number => (successes + strength * prior) / (trials + strength);
