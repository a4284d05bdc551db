// Seeded randomness for synthetic orgs, built for millions of draws: one reusable generator re-seeded per entity and
// stream (no per-deal allocation), so deal i's records do not depend on how many draws deal i − 1 made.

/** FNV-1a: a stable 32-bit hash of a string seed. */
export const hash32 = (text: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
};

/** A well-mixed 32-bit seed for (seed, stream, index): murmur3's finaliser over the three. */
export const streamSeed = (seed: number, stream: number, index: number): number => {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

/** mulberry32: small, fast, good enough for plausible fake data. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed | 0;
  }

  /** Restart the sequence from another seed (re-used across entities to avoid an allocation each). */
  reseed(seed: number): this {
    this.state = seed | 0;
    return this;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Index drawn by cumulative weights (ascending, last = total). */
  weightedIndex(cumulative: readonly number[] | Float64Array): number {
    const r = this.next() * cumulative[cumulative.length - 1]!;
    for (let i = 0; i < cumulative.length; i++) if (r < cumulative[i]!) return i;
    return cumulative.length - 1;
  }

  /** Log-normal with the given median and spread (sigma of the log). */
  logNormal(median: number, sigma: number): number {
    const u = Math.max(this.next(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
    return median * Math.exp(sigma * z);
  }
}

/** Running sums of weights, for `Rng.weightedIndex`. */
export const cumulative = (weights: readonly number[]): number[] => {
  let sum = 0;
  return weights.map((w) => (sum += w));
};
