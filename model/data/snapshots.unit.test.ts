import { describe, expect, it } from 'vitest';
import { createGeneratedSource } from './generated-source.ts';
import { fitEncoder } from './encoder.ts';
import { labelAt, samplesOf, snapshotTimes } from './snapshots.ts';
import type { ShopperHistory } from './shopper-history.ts';
import { splitByTime } from './time-split.ts';

const K = 16;
const DAY = 86_400_000;
const range = { from: Date.UTC(2019, 0, 1), to: Date.UTC(2020, 0, 1), stepDays: 7, horizonDays: 28 };
const opts = { ...range, numCategories: K, feature: { lastN: 5 } };
const histories = (): ShopperHistory[] => [
  ...(createGeneratedSource({ seed: 7, shoppers: 40 }).histories() as Iterable<ShopperHistory>),
];

/** The same shopper with every order after t replaced by something else entirely. */
function rewriteFuture(h: ShopperHistory, t: number): ShopperHistory {
  return {
    ...h,
    orders: h.orders.map((o) =>
      o.placedAt.getTime() <= t
        ? o
        : {
            ...o,
            couponStatus: 'not_used',
            deliveryCharge: 99,
            lines: o.lines.map((l) => ({ ...l, category: (l.category + 5) % K, quantity: l.quantity + 3 })),
          },
    ),
  };
}

describe('snapshots by event time', () => {
  const all = histories();
  const times = snapshotTimes(range);

  it('puts every label window inside the range', () => {
    expect(times[0]).toBe(range.from);
    expect(times.at(-1)! + 28 * DAY).toBeLessThanOrEqual(range.to);
  });

  it('no label information reaches the features: features (and encodings) at t ignore what happens after t', () => {
    const samples = all.flatMap((h) => samplesOf(h, times, opts));
    expect(samples.length).toBeGreaterThan(50);
    const encoder = fitEncoder(
      samples.map((s) => s.features),
      { categories: Array.from({ length: K }, (_, i) => `c${i}`), lastN: 5 },
    );
    let labelsChanged = 0;
    for (const s of samples) {
      const h = all.find((x) => x.userId === s.userId)!;
      const truncated = { ...h, orders: h.orders.filter((o) => o.placedAt.getTime() <= s.t) };
      const rewritten = rewriteFuture(h, s.t);
      const [a] = samplesOf({ ...h }, [s.t], opts);
      const [b] = samplesOf(rewritten, [s.t], opts);
      const c = samplesOf(truncated, [s.t], opts);
      expect(c).toEqual([]); // without the future there is no label, hence no sample
      expect(b!.features).toEqual(a!.features);
      expect(encoder.encode([b!.features])).toEqual(encoder.encode([a!.features]));
      if (b!.primary !== a!.primary) labelsChanged++;
    }
    // The rewrite did change the labels, so identical features are not a coincidence.
    expect(labelsChanged).toBeGreaterThan(samples.length / 2);
  });

  it('labels come from the first order after t within the horizon', () => {
    const h = all.find((x) => x.orders.length > 3)!;
    const first = h.orders[0]!.placedAt.getTime();
    expect(labelAt(h, first - 60 * DAY, 28, K)).toBeNull();
    const l = labelAt(h, first - DAY, 28, K)!;
    expect(l.labelAt).toBe(first);
    const firstOrderCats = new Set(
      h.orders.filter((o) => o.placedAt.getTime() === first).flatMap((o) => o.lines.map((x) => x.category)),
    );
    for (const c of l.relevant) expect(firstOrderCats.has(c)).toBe(true);
  });

  it('splits by time with a purge gap: no train label window overlaps validation, none of validation overlaps test', () => {
    const samples = all.flatMap((h) => samplesOf(h, times, opts));
    const split = splitByTime(samples, { ...range });
    expect(split.train.length && split.validation.length && split.test.length).toBeTruthy();
    for (const s of split.train) expect(s.t + 28 * DAY).toBeLessThanOrEqual(split.trainEnd);
    for (const s of split.validation) {
      expect(s.t).toBeGreaterThanOrEqual(split.trainEnd);
      expect(s.t + 28 * DAY).toBeLessThanOrEqual(split.validationEnd);
    }
    for (const s of split.test) expect(s.t).toBeGreaterThanOrEqual(split.validationEnd);
    expect(Math.max(...split.train.map((s) => s.labelAt))).toBeLessThanOrEqual(
      Math.min(...split.validation.map((s) => s.t)),
    );
  });
});
