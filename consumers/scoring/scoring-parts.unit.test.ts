import { describe, expect, it } from 'vitest';
import { createCategoryMap } from '../../features/category-map.ts';
import { syntheticFeatures } from '../../e2e/harness/synthetic-features.ts';
import { buildCatalogue, type CatalogueRows } from './catalogue.ts';
import { createCoalescer } from './coalescer.ts';
import { decodeFeatureMessage } from './decode-features.ts';
import { createPartitionOf } from './partition-of.ts';
import { pickProducts } from './pick-products.ts';
import { emptyHistory } from './purchase-history.ts';
import { modelReasons } from './reasons.ts';
import { createScorer } from './scorer.ts';
import { decodeStoredFeatures } from './sweep-batch.ts';
import { silentLogger } from '../../core/logger.ts';

const map = createCategoryMap();
const rows: CatalogueRows = {
  categories: [
    { id: 1, name: 'Apparel' },
    { id: 2, name: 'Office' },
    { id: 3, name: 'Nest-USA' },
  ],
  products: [
    ...[1, 2, 3, 4, 5].map((i) => ({
      id: i,
      category_id: 1,
      title: `tee ${i}`,
      price: '10',
      image_url: 'x',
      sold: String(100 - i),
    })),
    ...[6, 7].map((i) => ({
      id: i,
      category_id: 2,
      title: `pen ${i}`,
      price: '2',
      image_url: 'x',
      sold: String(10 - i),
    })),
    { id: 8, category_id: 3, title: 'thermostat', price: '120', image_url: 'x', sold: null },
  ],
};
const catalogue = buildCatalogue(rows, map);
const apparel = map.model.indexOf('Apparel');
const office = map.model.indexOf('Office');
const nest = map.model.indexOf('Nest');
const opts = { products: 4, topCategories: 2, maxPerCategory: 2, recentDays: 30, rebuyOrders: 2 };

describe('product choice', () => {
  it('takes best-sellers of the top categories under the diversity cap, then fills from lower ones', () => {
    const picked = pickProducts([apparel, office, nest], catalogue, emptyHistory(), opts);
    expect(picked.map((p) => p.productId)).toEqual([1, 2, 6, 7]);
    const fewer = pickProducts([apparel, nest], catalogue, emptyHistory(), opts);
    expect(fewer.map((p) => p.productId)).toEqual([1, 2, 8, 3]);
  });

  it('leaves out recent purchases unless the shopper re-buys in that category', () => {
    const h = { recentProducts: new Set([1, 6]), ordersPerModel: new Map([[office, 3]]) };
    expect(pickProducts([apparel, office], catalogue, h, opts).map((p) => p.productId)).toEqual([2, 3, 6, 7]);
  });

  it('maps a model category to the row named like it, or its first raw member present (Nest -> Nest-USA)', () => {
    expect(catalogue.categoryIdOf[apparel]).toBe(1);
    expect(catalogue.categoryIdOf[nest]).toBe(3);
    expect(catalogue.categoryIdOf[map.model.indexOf('Drinkware')]).toBeNull();
  });
});

describe('scorer', () => {
  it('falls back to popularity without a champion, never with an empty product list', async () => {
    const scorer = createScorer({
      model: () => null,
      catalogue: () => catalogue,
      history: async () => new Map(),
      opts,
    });
    const [rec] = await scorer.score([{ features: syntheticFeatures(7), trigger: 'cold-start', runId: null }]);
    expect(rec).toMatchObject({ modelVersion: 'popularity', coldStart: true, userId: 7 });
    expect(rec!.categories[0]!.name).toBe('Apparel');
    expect(rec!.categories[0]!.reasons[0]!.code).toBe('popular');
    expect(rec!.products.length).toBe(4);
  });

  it("takes orders per category from the features where they carry them, and asks the store for the rest's", async () => {
    const asked: number[][] = [];
    const scorer = createScorer({
      model: () => null,
      catalogue: () => catalogue,
      history: async (ids, _since, _cat, countFor) => {
        asked.push(countFor);
        return new Map(ids.map((id) => [id, { recentProducts: new Set([1]), ordersPerModel: new Map() }]));
      },
      opts,
    });
    const catOrders = map.model.map((_, m) => (m === apparel ? 2 : 0));
    const [carried, lacking] = await scorer.score([
      { features: { ...syntheticFeatures(7), catOrders }, trigger: 'order', runId: null },
      { features: syntheticFeatures(8), trigger: 'order', runId: null },
    ]);
    expect(asked).toEqual([[8]]);
    // Product 1 (Apparel) was bought recently: shown again only to the shopper who re-buys Apparel.
    expect(carried!.products.map((p) => p.productId)).toContain(1);
    expect(lacking!.products.map((p) => p.productId)).not.toContain(1);
  });
});

describe('reasons from the wide part', () => {
  it('names the strongest active slot above its mean, with a machine code and a sentence', () => {
    const K = map.model.length;
    const W = 5 + 2 * K;
    const f = syntheticFeatures(3, { orders: 3 });
    const bought = f.catCounts.findIndex((n) => n > 0);
    const wide = new Float32Array(W * K);
    wide[(5 + bought) * K + bought] = 2;
    wide[1 * K + bought] = 1;
    const reasons = modelReasons(f, bought, wide, { categories: map.model });
    expect(reasons.map((r) => r.code)).toEqual(['bought-category-recently', 'popular-in-region']);
    expect(reasons[0]!.text).toContain(map.model[bought]!);
  });
});

describe('dedup window', () => {
  it('publishes one batch per window with the latest value per shopper', async () => {
    const flushed: Map<number, string>[] = [];
    const c = createCoalescer<string>({ windowMs: 20, maxKeys: 100, flush: async (b) => void flushed.push(b) });
    await Promise.all([
      c.submit(new Map([[1, 'a']])),
      c.submit(
        new Map([
          [1, 'b'],
          [2, 'x'],
        ]),
      ),
      c.submit(new Map([[1, 'c']])),
    ]);
    expect(flushed).toEqual([
      new Map([
        [1, 'c'],
        [2, 'x'],
      ]),
    ]);
  });
});

describe('feature messages', () => {
  const msg = (key: string, value: string | null) => ({
    topic: 'features.user.v1',
    partition: 0,
    offset: '5',
    key: Buffer.from(key),
    value: value === null ? null : Buffer.from(value),
    headers: {},
  });
  it('decodes features and tombstones, rejects the rest with a reason', () => {
    expect(decodeFeatureMessage(msg('9', JSON.stringify(syntheticFeatures(9))))).toMatchObject({
      kind: 'features',
      userId: 9,
    });
    expect(decodeFeatureMessage(msg('9', null))).toEqual({ kind: 'tombstone', userId: 9 });
    expect(decodeFeatureMessage(msg('8', JSON.stringify(syntheticFeatures(9))))).toMatchObject({ kind: 'rejected' });
    const bad = decodeFeatureMessage(msg('9', '{"userId": 9}'));
    expect(bad.kind === 'rejected' && bad.rejection.reason).toMatch(/^value\./);
  });
});

describe('sweep split', () => {
  it('spreads user ids over every partition, deterministically', () => {
    const of = createPartitionOf(3);
    const counts = [0, 0, 0];
    for (let id = 1; id <= 3_000; id++) counts[of(id)]! += 1;
    expect(counts.every((n) => n > 800)).toBe(true);
    expect(Array.from({ length: 50 }, (_, i) => of(i + 1))).toEqual(
      Array.from({ length: 50 }, (_, i) => createPartitionOf(3)(i + 1)),
    );
  });
});

describe('stored features for the sweep', () => {
  it("keeps the shopper's own rows of this feature version and skips truncated or foreign ones", () => {
    const ok = syntheticFeatures(7, { orders: 2 });
    const decoded = decodeStoredFeatures(
      [
        { user_id: 7, features: JSON.stringify(ok) },
        { user_id: 8, features: JSON.stringify(ok) },
        { user_id: 9, features: JSON.stringify(ok).slice(0, 40) },
        { user_id: 10, features: JSON.stringify({ ...syntheticFeatures(10), featureVersion: 2 }) },
      ],
      silentLogger,
    );
    expect(decoded).toEqual([ok]);
  });
});
