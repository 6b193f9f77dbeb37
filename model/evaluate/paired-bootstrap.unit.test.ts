import { describe, expect, it } from 'vitest';
import { pairedDifference } from './paired-bootstrap.ts';

describe('pairedDifference', () => {
  it('gives the exact mean difference and an interval around it', () => {
    const a = Array.from({ length: 400 }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const b = Array.from({ length: 400 }, () => 0);
    const groups = Array.from({ length: 400 }, (_, i) => i);
    const d = pairedDifference(a, b, groups);
    expect(d.diff).toBeCloseTo(0.25);
    expect(d.lo).toBeGreaterThan(0.18);
    expect(d.hi).toBeLessThan(0.32);
    expect(d.lo).toBeLessThan(d.diff);
    expect(d.hi).toBeGreaterThan(d.diff);
  });

  it('straddles zero when the two scorers only differ by noise', () => {
    const a = Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? 1 : 0));
    const b = Array.from({ length: 1000 }, (_, i) => (i % 2 === 1 ? 1 : 0));
    const d = pairedDifference(
      a,
      b,
      a.map((_, i) => i),
    );
    expect(d.lo).toBeLessThan(0);
    expect(d.hi).toBeGreaterThan(0);
  });

  it('resamples whole shoppers: correlated rows widen the interval', () => {
    // 20 shoppers, 50 identical rows each: the information of 20 rows, not 1000.
    const diffOf = (s: number) => (s % 2 === 0 ? 1 : 0);
    const a = Array.from({ length: 1000 }, (_, i) => diffOf(Math.floor(i / 50)));
    const b = a.map(() => 0);
    const byShopper = pairedDifference(
      a,
      b,
      a.map((_, i) => Math.floor(i / 50)),
    );
    const byRow = pairedDifference(
      a,
      b,
      a.map((_, i) => i),
    );
    expect(byShopper.hi - byShopper.lo).toBeGreaterThan(3 * (byRow.hi - byRow.lo));
  });

  it('is deterministic for a seed and rejects unpaired input', () => {
    const a = [1, 0, 1, 1, 0, 0, 1],
      b = [0, 0, 1, 0, 1, 0, 0],
      g = [1, 1, 2, 3, 3, 4, 5];
    expect(pairedDifference(a, b, g, { seed: 7 })).toEqual(pairedDifference(a, b, g, { seed: 7 }));
    expect(() => pairedDifference([1], [1, 2], [1])).toThrow(RangeError);
  });
});
