import { describe, expect, it } from 'vitest';
import { compareOnline, wilson, type RecSeen } from './online-comparison.ts';

const rec = (
  version: string,
  userId: number,
  producedAt: number,
  top3: string[],
  topic: RecSeen['topic'] = 'champion',
): RecSeen => ({
  topic,
  version,
  userId,
  producedAt,
  top3,
});

describe('online comparison of model versions', () => {
  it('judges the recommendation current at each order, once, on the order that follows it', () => {
    const recs = [
      rec('wd-1', 1, 10, ['Apparel', 'Nest', 'Office']),
      // Replaced before any order: never judged.
      rec('wd-1', 1, 20, ['Drinkware', 'Bags', 'Lifestyle']),
      rec('wd-1', 1, 30, ['Bags', 'Nest', 'Office']),
      rec('wd-1', 2, 5, ['Apparel', 'Nest', 'Office']),
      rec('wd-2', 1, 31, ['Drinkware', 'Apparel', 'Office'], 'shadow'),
    ];
    const orders = [
      { userId: 1, placedAt: 40, categories: ['Drinkware'] },
      // The same wd-1 recommendation is still current: it was already judged on the order before.
      { userId: 1, placedAt: 50, categories: ['Bags'] },
      { userId: 2, placedAt: 6, categories: ['Apparel'] },
      // Before any recommendation: not attributed.
      { userId: 2, placedAt: 1, categories: ['Bags'] },
    ];
    const out = compareOnline(recs, orders, [
      { modelVersion: 'wd-1', type: 'impression' },
      { modelVersion: 'wd-1', type: 'impression' },
      { modelVersion: 'wd-1', type: 'click' },
      { modelVersion: null, type: 'click' },
    ]);
    expect(
      out.map((v) => [v.topic, v.version, v.recommendations, v.followed, v.hits, v.impressions, v.clicks]),
    ).toEqual([
      ['champion', 'wd-1', 4, 2, 1, 2, 1],
      ['shadow', 'wd-2', 1, 1, 1, 0, 0],
    ]);
    expect(out[0]!.hitRate).toBe(0.5);
    expect(out[0]!.ctr).toBe(0.5);
    expect(out[0]!.hitRateLow!).toBeLessThan(0.5);
    expect(out[0]!.hitRateHigh!).toBeGreaterThan(0.5);
  });

  it('gives a Wilson interval that stays inside [0, 1] and is empty without data', () => {
    expect(wilson(0, 0)).toEqual([null, null]);
    const [lo, hi] = wilson(10, 10);
    expect(hi).toBe(1);
    expect(lo).toBeGreaterThan(0.65);
    expect(lo).toBeLessThan(0.75);
  });
});
