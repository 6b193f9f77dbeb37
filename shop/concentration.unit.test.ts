import { describe, expect, it } from 'vitest';
import { createCategoryMap } from '../features/category-map.ts';
import { createRepeatRateAccumulator } from './concentration.ts';
import { repeatRateOfGenerated } from './strength-calibration.ts';

describe('repeat-category rate', () => {
  it('counts only cross-transaction pairs within a shopper-month', () => {
    const acc = createRepeatRateAccumulator(createCategoryMap());
    const add = (customerId: string, transactionId: string, date: string, category: string) =>
      acc.add({ customerId, transactionId, date, category });
    // Shopper a, January: tx1 = [Apparel, Apparel], tx2 = [Apparel, Office] -> 4 pairs, 2 same.
    add('a', '1', '2019-01-02', 'Apparel');
    add('a', '1', '2019-01-02', 'Apparel');
    add('a', '2', '2019-01-09', 'Apparel');
    add('a', '2', '2019-01-09', 'Office');
    // Shopper a, March: one transaction only -> no unit. Shopper b: Nest-USA and Nest-Canada merge -> 1 of 1.
    add('a', '3', '2019-03-01', 'Office');
    add('b', '4', '2019-05-01', 'Nest-USA');
    add('b', '5', '2019-05-03', 'Nest-Canada');
    const r = acc.result();
    expect(r.units).toBe(2);
    expect(r.rate).toBeCloseTo((2 / 4 + 1) / 2, 12);
    expect(r.lines).toBe(7);
  });

  it('rises with strength and sits at the baseline without signal', () => {
    const flat = repeatRateOfGenerated({ strength: 0, seed: 1, shoppers: 600 });
    const strong = repeatRateOfGenerated({ strength: 1.5, seed: 1, shoppers: 600 });
    expect(Math.abs(flat.rate - flat.baseline)).toBeLessThan(0.01);
    expect(strong.rate - strong.baseline).toBeGreaterThan(0.1);
  });
});
