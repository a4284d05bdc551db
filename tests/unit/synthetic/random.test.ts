import { describe, expect, it } from 'vitest';
import { Rng, cumulative, hash32, streamSeed } from '../../../shared/src/synthetic/random.ts';

describe('seeded randomness for synthetic orgs', () => {
  it('When a generator is re-seeded, then it repeats the same sequence', () => {
    const r = new Rng(streamSeed(hash32('x'), 4, 17));
    const first = Array.from({ length: 5 }, () => r.next());
    r.reseed(streamSeed(hash32('x'), 4, 17));
    expect(Array.from({ length: 5 }, () => r.next())).toEqual(first);
  });

  it('When streams or indexes differ by one, then their seeds differ', () => {
    const seed = hash32('stagecraft');
    const seeds = new Set<number>();
    for (let stream = 0; stream < 4; stream++) for (let i = 0; i < 1000; i++) seeds.add(streamSeed(seed, stream, i));
    expect(seeds.size).toBe(4000);
  });

  it('When integers are drawn in [2, 5], then both ends occur and nothing outside', () => {
    const r = new Rng(1);
    const seen = new Set(Array.from({ length: 2000 }, () => r.int(2, 5)));
    expect([...seen].sort()).toEqual([2, 3, 4, 5]);
  });

  it('When a weight is zero, then its index is never drawn; the others follow their weights', () => {
    const r = new Rng(2);
    const counts = [0, 0, 0];
    for (let i = 0; i < 10_000; i++) counts[r.weightedIndex(cumulative([1, 0, 3]))]!++;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.6);
    expect(counts[2]! / counts[0]!).toBeLessThan(3.4);
  });
});
