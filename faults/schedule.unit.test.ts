import { describe, expect, it } from 'vitest';
import { makeSchedule } from './schedule.ts';

const faults = ['a', 'b', 'c', 'd'];

describe('fault schedule', () => {
  it('is the same for the same seed and differs for another', () => {
    const one = makeSchedule({ seed: 7, faults, budgetMs: 120_000 });
    expect(makeSchedule({ seed: 7, faults, budgetMs: 120_000 })).toEqual(one);
    expect(makeSchedule({ seed: 8, faults, budgetMs: 120_000 })).not.toEqual(one);
  });
  it('fills the time budget with quiet and hold times in their ranges', () => {
    const s = makeSchedule({ seed: 1, faults, budgetMs: 60_000, quietMs: [1_000, 2_000], holdMs: [3_000, 4_000] });
    const total = s.reduce((n, f) => n + f.quietMs + f.holdMs, 0);
    expect(total).toBeGreaterThanOrEqual(60_000);
    expect(total - s.at(-1)!.quietMs - s.at(-1)!.holdMs).toBeLessThan(60_000);
    for (const f of s) {
      expect(f.quietMs).toBeGreaterThanOrEqual(1_000);
      expect(f.quietMs).toBeLessThanOrEqual(2_000);
      expect(f.holdMs).toBeGreaterThanOrEqual(3_000);
      expect(f.holdMs).toBeLessThanOrEqual(4_000);
    }
  });
  it('covers every fault first when asked, even past the budget', () => {
    const s = makeSchedule({ seed: 3, faults, budgetMs: 0, coverFirst: true });
    expect(s.map((f) => f.fault).sort()).toEqual(faults);
  });
});
