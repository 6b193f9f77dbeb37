import { describe, expect, it } from 'vitest';
import { computeUserFeatures, type OrderFacts } from '../../features/compute-features.ts';
import { ValidationError } from '../../core/errors.ts';
import { fitEncoder, loadEncoder } from './encoder.ts';
import { featureSchemaHash } from './feature-layout.ts';

const K = 4;
const categories = ['a', 'b', 'c', 'd'];
const order = (id: number, day: string, cat: number): OrderFacts => ({
  orderId: id,
  placedAt: new Date(`${day}T00:00:00Z`),
  status: 'paid',
  statusChangedAt: null,
  couponStatus: 'used',
  deliveryCharge: 6.5,
  lines: [{ category: cat, quantity: 1, unitPrice: 10 }],
});
const features = (userId: number, region: string, orders: OrderFacts[], asOf = '2019-06-01') =>
  computeUserFeatures(
    { userId, profile: { gender: 'F', region, tenureMonths: 12 }, orders, asOf: new Date(`${asOf}T00:00:00Z`) },
    { numCategories: K, lastN: 3 },
  );

describe('encoder', () => {
  const train = [
    features(1, 'Chicago', [order(1, '2019-01-02', 0)]),
    features(2, 'California', [order(2, '2019-02-02', 1), order(3, '2019-03-02', 1)]),
  ];

  it('is fitted on the training rows only: vocabulary and scaling come from them', () => {
    const enc = fitEncoder(train, { categories, lastN: 3 });
    expect(enc.state.regions).toEqual(['California', 'Chicago']);
    const b = enc.encode(train);
    for (let j = 0; j < enc.layout.numeric; j++) {
      const mean = (b.numeric[j]! + b.numeric[enc.layout.numeric + j]!) / 2;
      expect(mean).toBeCloseTo(0, 5);
    }
  });

  it('maps a region unseen in training to the unknown slot, same as null', () => {
    const enc = fitEncoder(train, { categories, lastN: 3 });
    const unseen = enc.encode([features(3, 'Texas', [])]);
    const nullRegion = enc.encode([{ ...features(3, 'Texas', []), region: null }]);
    expect(unseen.deep).toEqual(nullRegion.deep);
    expect(unseen.wide).toEqual(nullRegion.wide);
  });

  it('gives every id a slot inside its vocabulary', () => {
    const enc = fitEncoder(train, { categories, lastN: 3 });
    const b = enc.encode([...train, features(4, 'Nowhere', [order(9, '2019-05-30', 3)], '2019-12-31')]);
    expect(Math.max(...b.deep)).toBeLessThan(enc.layout.deepVocab);
    expect(Math.max(...b.wide)).toBeLessThan(enc.layout.wideVocab);
    expect(Math.min(...b.deep, ...b.wide)).toBeGreaterThanOrEqual(0);
  });

  it('round-trips through its saved state and refuses another feature schema', () => {
    const enc = fitEncoder(train, { categories, lastN: 3 });
    const saved = JSON.parse(JSON.stringify(enc.state));
    expect(loadEncoder(saved).encode(train)).toEqual(enc.encode(train));
    expect(saved.schemaHash).toBe(featureSchemaHash());
    expect(() => loadEncoder({ ...saved, schemaHash: 'f'.repeat(64) })).toThrow(ValidationError);
    expect(() => loadEncoder({ ...saved, schemaHash: 'f'.repeat(64) })).toThrow(
      /feature schema ffffffffffff .* retrain/,
    );
  });
});
