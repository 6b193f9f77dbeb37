import { describe, expect, it } from 'vitest';
import { splitByTime, timeSpan } from './time-split.ts';

const DAY = 86_400_000;

describe('splitByTime', () => {
  it('keeps each label window on its own side of a boundary', () => {
    const samples = Array.from({ length: 100 }, (_, i) => ({ t: i * DAY }));
    const split = splitByTime(samples, { from: 0, to: 100 * DAY, horizonDays: 5 });
    expect(Math.max(...split.train.map((s) => s.t)) + 5 * DAY).toBeLessThanOrEqual(split.trainEnd);
    expect(Math.min(...split.validation.map((s) => s.t))).toBeGreaterThanOrEqual(split.trainEnd);
    expect(Math.min(...split.test.map((s) => s.t))).toBeGreaterThanOrEqual(split.validationEnd);
  });
});

describe('timeSpan', () => {
  it('spans a split far larger than the argument limit of Math.min(...)', () => {
    const n = 1_000_000;
    const samples = Array.from({ length: n }, (_, i) => ({ t: ((i * 7919) % n) + 10 }));
    expect(timeSpan(samples)).toEqual({ from: 10, to: n + 9 });
  });
});
