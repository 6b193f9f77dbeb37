import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_DATA, TOLERANCE } from '../calibration.ts';
import { createCategoryMap } from '../../features/category-map.ts';
import { generateToCsv, KAGGLE_FILES } from '../csv-writer.ts';
import { checkAgainstCalibration, createStatsAccumulator, type ShopStats } from '../shop-stats.ts';
import { toSalesLines } from './sales-lines.ts';
import { createShopGenerator } from './shop-generator.ts';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

function statsOf(seed: number, shoppers = REAL_DATA.shoppers): ShopStats {
  const gen = createShopGenerator({ seed, shoppers });
  const acc = createStatsAccumulator();
  for (const g of gen.generate()) {
    acc.addCustomer(g.customer);
    for (const l of toSalesLines(g, gen.categoryMap.raw)) acc.addLine(l);
  }
  return acc.result();
}

describe('generator at the default scale matches the published statistics', () => {
  let s: ShopStats;
  beforeAll(() => {
    s = statsOf(42);
  });

  it('passes every calibration check within its stated tolerance', () => {
    const failed = checkAgainstCalibration(s, REAL_DATA).filter((c) => !c.ok);
    expect(failed.map((c) => `${c.name}: ${c.actual} vs ${c.target} ${c.tolerance}`)).toEqual([]);
  });

  it('has the published counts and shape', () => {
    expect(s.shoppers).toBe(1468);
    expect(Math.abs(s.transactions - 25061) / 25061).toBeLessThanOrEqual(TOLERANCE.countsRel);
    expect(Math.abs(s.lines - 52924) / 52924).toBeLessThanOrEqual(TOLERANCE.countsRel);
    expect(s.linesPerTransaction).toBeCloseTo(2.11, 1);
    expect(s.transactionsPerShopper).toBeCloseTo(17.07, 0);
    expect(Math.abs(s.activeMonthsPerShopper - 1.8)).toBeLessThanOrEqual(1.8 * TOLERANCE.activeMonthsRel);
    expect(s.customers.female).toBe(934);
    expect(s.customers.regions).toEqual({
      California: 464,
      Chicago: 456,
      'New York': 324,
      'New Jersey': 149,
      'Washington DC': 75,
    });
    expect(s.quantity.median).toBe(1);
    expect(Math.abs(s.quantity.p95 - 16)).toBeLessThanOrEqual(TOLERANCE.quantityP95Abs);
    expect(s.quantity.max).toBeLessThanOrEqual(900);
    expect(Object.keys(s.categories)).toHaveLength(20);
    expect(s.firstDate >= '2019-01-01' && s.lastDate <= '2019-12-31').toBe(true);
  });

  it('holds for other seeds too (the tolerances are not fitted to seed 42)', () => {
    for (const seed of [1, 2, 3]) {
      const failed = checkAgainstCalibration(statsOf(seed), REAL_DATA).filter((c) => !c.ok);
      expect(failed.map((c) => `seed ${seed} ${c.name}: ${c.actual} vs ${c.target}`)).toEqual([]);
    }
  });
});

describe('determinism and scale', () => {
  const csvHash = async (seed: number) => {
    const dir = await mkdtemp(join(tmpdir(), 'gen-'));
    dirs.push(dir);
    await generateToCsv({ generator: createShopGenerator({ seed, shoppers: 300 }), dir });
    const h = createHash('sha256');
    for (const f of Object.values(KAGGLE_FILES)) h.update(await readFile(join(dir, f)).catch(() => Buffer.alloc(0)));
    return h.digest('hex');
  };

  it('writes the same bytes for the same seed and different bytes for another', async () => {
    const [a, b, c] = await Promise.all([csvHash(7), csvHash(7), csvHash(8)]);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('gives a shopper the same latent state whatever the population size', () => {
    // Gender/region/activity strata depend on the population; the latent preferences do not,
    // which is what lets the simulator and the evaluation rebuild a shopper from its id.
    const attrs = { customerId: '12346', gender: 'F' as const, region: 'Chicago', tenureMonths: 10 };
    const a = createShopGenerator({ seed: 5, shoppers: 50 }).model;
    const b = createShopGenerator({ seed: 5, shoppers: 80 }).model;
    const at = Date.UTC(2019, 5, 1);
    expect(a.trueCategoryProbabilities(a.shopper(attrs), at)).toEqual(
      b.trueCategoryProbabilities(b.shopper(attrs), at),
    );
  });

  it('scales the number of lines with --lines', () => {
    const gen = createShopGenerator({ seed: 3, shoppers: 2000, targetLines: 40_000 });
    let lines = 0;
    for (const g of gen.generate()) for (const t of g.transactions) lines += t.lines.length;
    expect(Math.abs(lines - 40_000) / 40_000).toBeLessThan(0.05);
  });
});

describe('ground truth', () => {
  const gen = createShopGenerator({ seed: 11, shoppers: 400 });
  const map = createCategoryMap();

  it('returns a probability vector over the 16 model categories', () => {
    const p = gen.model.trueCategoryProbabilities(gen.shopperAt(0), new Date('2019-06-15T00:00:00Z'));
    expect(p).toHaveLength(16);
    expect(gen.model.categories).toEqual(map.model);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(Math.min(...p)).toBeGreaterThan(0);
  });

  it('depends on the shopper, their attributes and the time', () => {
    const base = { customerId: 'x-1', gender: 'F' as const, region: 'Chicago', tenureMonths: 10 };
    const at = Date.UTC(2019, 2, 1);
    const p = gen.model.trueCategoryProbabilities(gen.model.shopper(base), at);
    const other = gen.model.trueCategoryProbabilities(gen.model.shopper({ ...base, customerId: 'x-2' }), at);
    const male = gen.model.trueCategoryProbabilities(gen.model.shopper({ ...base, gender: 'M' }), at);
    const later = gen.model.trueCategoryProbabilities(gen.model.shopper(base), Date.UTC(2019, 8, 1));
    const dist = (a: Float64Array, b: Float64Array) => a.reduce((s, x, i) => s + Math.abs(x - b[i]!), 0);
    for (const q of [other, male, later]) expect(dist(p, q)).toBeGreaterThan(0.02);
  });

  it('is the population share for everyone at strength 0', () => {
    const flat = createShopGenerator({ seed: 11, shoppers: 10, strength: 0 });
    const p = flat.model.trueCategoryProbabilities(flat.shopperAt(3), Date.UTC(2019, 4, 4));
    const apparel = REAL_DATA.categories[0]!.lines / 52924;
    expect(p[0]).toBeCloseTo(apparel, 6);
  });

  it('is what the lines are drawn from: realised log-likelihood matches its expectation', () => {
    // If lines came from anything but p, the mean log p(category of the line) would fall short
    // of its expectation sum_c p_c log p_c; population shares are the no-signal reference.
    const shares = createShopGenerator({ seed: 11, shoppers: 1, strength: 0 }).model.trueCategoryProbabilities(
      createShopGenerator({ seed: 11, shoppers: 1, strength: 0 }).shopperAt(0),
      0,
    );
    let observed = 0;
    let expected = 0;
    let baseline = 0;
    let n = 0;
    for (const g of gen.generate()) {
      for (const t of g.transactions) {
        const p = gen.model.trueCategoryProbabilities(g.shopper, Date.UTC(2019, 0, 1) + t.day * 86_400_000);
        const entropyTerm = p.reduce((a, x) => a + x * Math.log(x), 0);
        for (const l of t.lines) {
          n++;
          observed += Math.log(p[l.product.modelIndex]!);
          expected += entropyTerm;
          baseline += Math.log(shares[l.product.modelIndex]!);
        }
      }
    }
    expect(n).toBeGreaterThan(10_000);
    expect(Math.abs(observed - expected) / n).toBeLessThan(0.02);
    expect((observed - baseline) / n).toBeGreaterThan(0.05);
  });
});
