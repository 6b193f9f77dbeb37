import { describe, expect, it } from 'vitest';
import {
  createRng,
  cumulative,
  gamma,
  hashString,
  normalQuantile,
  permutation,
  pickCumulative,
  poisson,
} from './rng.ts';

describe('seeded rng', () => {
  it('repeats for equal keys and differs for other keys', () => {
    const a = createRng(1, 2, 3);
    const b = createRng(1, 2, 3);
    const c = createRng(1, 2, 4);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    expect(hashString('17850')).toBe(hashString('17850'));
    expect(hashString('17850')).not.toBe(hashString('17851'));
  });

  it('has the moments it claims', () => {
    const r = createRng(9);
    const n = 200_000;
    let u = 0,
      z = 0,
      z2 = 0,
      g = 0,
      p = 0;
    for (let i = 0; i < n; i++) {
      u += r.next();
      const x = r.normal();
      z += x;
      z2 += x * x;
      g += gamma(r, 2.5);
      p += poisson(r, 0.84);
    }
    expect(u / n).toBeCloseTo(0.5, 2);
    expect(z / n).toBeCloseTo(0, 2);
    expect(z2 / n).toBeCloseTo(1, 1);
    expect(g / n).toBeCloseTo(2.5, 1);
    expect(p / n).toBeCloseTo(0.84, 1);
  });

  it('inverts the normal CDF', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
  });

  it('picks by cumulative weight and permutes without loss', () => {
    const cum = cumulative([1, 0, 3]);
    expect([0, 0.2, 0.25, 0.99].map((u) => pickCumulative(cum, u))).toEqual([0, 0, 2, 2]);
    const perm = permutation(createRng(4), 1000);
    expect([...perm].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });
});
