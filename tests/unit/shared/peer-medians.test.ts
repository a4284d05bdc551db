// The leave-one-out medians a diagnosis compares a rep with equal the medians of the other members, sorted afresh.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withoutOwn } from '../../../shared/src/engine/reps.ts';
import { median } from '../../../shared/src/engine/stats.ts';

describe('peer medians without the rep', () => {
  it('When one member is left out of a sorted group, then the median is that of the others', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }).map((x) => x / 4), { minLength: 1, maxLength: 40 }), fc.nat(), (values, pick) => {
        const own = values[pick % values.length]!;
        const others = [...values];
        others.splice(others.indexOf(own), 1);
        expect(withoutOwn([...values].sort((a, b) => a - b), own)).toBe(median(others));
      }),
    );
  });

  it('When the member has no value, then the median is of the whole group', () => {
    expect(withoutOwn([1, 2, 3, 10], null)).toBe(2.5);
    expect(withoutOwn([], null)).toBeNull();
    expect(withoutOwn([4], 4)).toBeNull();
  });
});
