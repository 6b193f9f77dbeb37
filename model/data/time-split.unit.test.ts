import { describe, expect, it } from 'vitest';
import { timeSpan } from './time-split.ts';

describe('timeSpan', () => {
  it('spans a split far larger than the argument limit of Math.min(...)', () => {
    const n = 1_000_000;
    const samples = Array.from({ length: n }, (_, i) => ({ t: ((i * 7919) % n) + 10 }));
    expect(timeSpan(samples)).toEqual({ from: 10, to: n + 9 });
  });
});
