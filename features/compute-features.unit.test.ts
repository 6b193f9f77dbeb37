import { describe, expect, it } from 'vitest';
import { userFeaturesSchema } from '../streams/features/user-features.ts';
import { activeAt, computeUserFeatures, type OrderFacts } from './compute-features.ts';

const K = 4;
const d = (s: string) => new Date(`${s}T00:00:00Z`);
const order = (
  id: number,
  day: string,
  lines: [number, number, number][],
  extra: Partial<OrderFacts> = {},
): OrderFacts => ({
  orderId: id,
  placedAt: d(day),
  status: 'paid',
  statusChangedAt: null,
  couponStatus: 'used',
  deliveryCharge: 6,
  lines: lines.map(([category, quantity, unitPrice]) => ({ category, quantity, unitPrice })),
  ...extra,
});
const profile = { gender: 'F' as const, region: 'Chicago', tenureMonths: 12 };
const base = [
  order(1, '2019-01-10', [
    [0, 2, 10],
    [1, 1, 100],
  ]),
  order(2, '2019-02-10', [[0, 1, 10]], { couponStatus: 'clicked', deliveryCharge: 10 }),
  order(3, '2019-03-10', [[2, 3, 5]], { couponStatus: 'not_used', deliveryCharge: 0 }),
];
const f = (orders: OrderFacts[], asOf = '2019-04-09') =>
  computeUserFeatures({ userId: 7, profile, orders, asOf: d(asOf) }, { numCategories: K, lastN: 3, halfLifeDays: 30 });

describe('computeUserFeatures', () => {
  it('aggregates counts, spend, baskets, coupons and delivery charges', () => {
    const x = f(base);
    expect(userFeaturesSchema.parse(x)).toEqual(x);
    expect(x).toMatchObject({
      orderCount: 3,
      lineCount: 4,
      totalSpend: 145,
      avgBasketValue: 48.333333,
      avgBasketLines: 1.333333,
      couponUseRate: 0.333333,
      couponClickRate: 0.333333,
      deliveryChargeMean: 5.333333,
      deliveryChargeMax: 10,
      catCounts: [2, 1, 1, 0],
      catSpend: [30, 100, 15, 0],
      daysSinceLastOrder: 30,
      daysSinceFirstOrder: 89,
      activeMonths: 3,
      lastOrderMonth: 3,
      lastOrderSeason: 1,
      gender: 'F',
      region: 'Chicago',
      tenureMonths: 12,
    });
    expect(x.lastCategories).toEqual([2, 0, 1]);
  });

  it('counts orders per category once however many of their lines are in it', () => {
    const x = f([
      ...base,
      order(4, '2019-03-20', [
        [3, 1, 1],
        [0, 1, 1],
        [3, 2, 1],
        [-1, 1, 1],
      ]),
      order(5, '2019-03-21', [[3, 1, 1]], { status: 'cancelled', statusChangedAt: d('2019-03-22') }),
    ]);
    expect(x.catCounts).toEqual([3, 1, 1, 2]);
    expect(x.catOrders).toEqual([3, 1, 1, 1]);
  });

  it('decays recency by the half-life', () => {
    const x = f(base);
    expect(x.catRecency[2]).toBeCloseTo(0.5, 5); // 30 days before asOf, half-life 30
    expect(x.catRecency[3]).toBe(0);
  });

  it('never looks past asOf: orders placed later change nothing', () => {
    const future = order(9, '2019-05-01', [[3, 50, 1000]]);
    expect(f([...base, future])).toEqual(f(base));
  });

  it('does not depend on the order facts arrive in', () => {
    expect(f([base[2]!, base[0]!, base[1]!])).toEqual(f(base));
  });

  it('drops a cancelled order, but only from the time it was cancelled', () => {
    const cancelled = base.map((o) =>
      o.orderId === 1 ? { ...o, status: 'cancelled' as const, statusChangedAt: d('2019-03-20') } : o,
    );
    expect(f(cancelled, '2019-03-15')).toEqual(f(base, '2019-03-15'));
    const after = f(cancelled, '2019-04-09');
    expect(after.orderCount).toBe(2);
    expect(after.catCounts).toEqual([1, 0, 1, 0]);
    expect(activeAt({ ...base[0]!, status: 'refunded', statusChangedAt: null }, d('2019-12-31'))).toBe(false);
  });

  it('keeps lines of unknown category in totals but not in category vectors', () => {
    const x = f([
      order(1, '2019-01-01', [
        [-1, 1, 20],
        [1, 1, 5],
      ]),
    ]);
    expect(x.lineCount).toBe(2);
    expect(x.totalSpend).toBe(25);
    expect(x.catCounts).toEqual([0, 1, 0, 0]);
    expect(x.lastCategories).toEqual([1, -1, -1]);
  });

  it('describes a shopper with no orders', () => {
    const x = f([]);
    expect(x).toMatchObject({
      orderCount: 0,
      totalSpend: 0,
      daysSinceLastOrder: null,
      lastOrderMonth: null,
      catCounts: [0, 0, 0, 0],
    });
    expect(
      computeUserFeatures({ userId: 1, profile: null, orders: [], asOf: d('2019-01-01') }, { numCategories: 2 }).gender,
    ).toBeNull();
  });
});
