import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResultSetHeader } from 'mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../e2e/harness/test-database.ts';
import { createCategoryMap } from '../../features/category-map.ts';
import { generateToDb } from '../../shop/db-generate.ts';
import { createShopDbWriter } from '../../shop/db-writer.ts';
import { createShopGenerator } from '../../shop/generator/shop-generator.ts';
import { silentLogger } from '../../core/logger.ts';
import { selectBackend } from '../backend/select-backend.ts';
import { DEFAULT_PIPELINE } from '../train/pipeline.ts';
import { promoteIfBetter, trainAndRegister } from '../train/train-run.ts';
import { createGeneratedSource } from './generated-source.ts';
import { createRegistryTable } from '../registry/mysql-table.ts';
import { createRegistry } from '../registry/registry.ts';
import type { ArtifactMeta } from '../registry/artifact.ts';
import { createDbSource } from './db-source.ts';
import { samplesOf, snapshotTimes } from './snapshots.ts';
import type { ShopperHistory } from './shopper-history.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ prefix: 'model' });
});
afterAll(async () => {
  await t?.drop();
});

async function seedShop(): Promise<void> {
  const q = (sql: string, params: unknown[] = []) => t.pool.query<ResultSetHeader>(sql, params);
  await q("INSERT INTO categories (id, name) VALUES (1, 'Apparel'), (2, 'Nest-USA'), (3, 'Backpacks')");
  await q(`INSERT INTO products (id, sku, category_id, title, price, image_url) VALUES
    (1, 'A1', 1, 'Tee', 20, 'x'), (2, 'N1', 2, 'Thermostat', 120, 'x'), (3, 'B1', 3, 'Backpack', 70, 'x')`);
  await q(`INSERT INTO users (id, nickname, gender, region, joined_at, tenure_months) VALUES
    (1, 'a', 'F', 'Chicago', '2018-01-01', 12), (2, 'b', 'M', 'California', '2018-06-01', 30)`);
  await q(`INSERT INTO orders (id, user_id, status, coupon_status, delivery_charge, placed_at, updated_at) VALUES
    (1, 1, 'paid', 'used', 6.5, '2019-01-05', '2019-01-05'),
    (2, 1, 'cancelled', 'clicked', 6.5, '2019-01-20', '2019-01-25'),
    (3, 1, 'paid', 'not_used', 8.7, '2019-02-10', '2019-02-10'),
    (4, 2, 'paid', 'used', 6.5, '2019-03-01', '2019-03-01')`);
  await q(`INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES
    (1, 1, 2, 20), (1, 2, 1, 120), (2, 3, 1, 70), (3, 3, 1, 70), (4, 2, 1, 120)`);
}

describe('training data from the shop database', () => {
  it("reads each shopper's orders as OrderFacts with model categories, and snapshots them by event time", async () => {
    await seedShop();
    const map = createCategoryMap();
    const source = await createDbSource({
      pool: t.pool,
      categoryMap: map,
      to: new Date('2019-12-31T00:00:00Z'),
      usersPerQuery: 1,
    });
    const histories: ShopperHistory[] = [];
    for await (const h of source.histories()) histories.push(h);
    expect(histories.map((h) => h.userId)).toEqual([1, 2]);
    const [u1] = histories;
    expect(u1!.profile).toEqual({ gender: 'F', region: 'Chicago', tenureMonths: 12 });
    const bags = map.modelIndexOfRaw('Backpacks');
    expect(bags).toBe(map.modelIndexOfRaw('Bags'));
    const cancelled = u1!.orders.find((o) => o.orderId === 2)!;
    expect(cancelled.statusChangedAt?.toISOString()).toBe('2019-01-25T00:00:00.000Z');
    expect(cancelled.lines).toEqual([{ category: bags, quantity: 1, unitPrice: 70 }]);
    expect(source.description).toMatchObject({ kind: 'database', maxOrderId: '4', orders: 4 });

    const range = { from: Date.UTC(2019, 0, 1), to: Date.UTC(2019, 2, 1), stepDays: 7, horizonDays: 28 };
    const samples = samplesOf(u1!, snapshotTimes(range), { ...range, numCategories: 16 });
    // The cancelled order is never a label: on 2019-01-15 the next purchase is the one of 2019-02-10.
    const mid = samples.find((s) => s.t === Date.UTC(2019, 0, 15))!;
    expect(mid.labelAt).toBe(Date.UTC(2019, 1, 10));
    expect(mid.relevant).toEqual([bags]);
    expect(mid.features.orderCount).toBe(1);
  });

  it('mirrors the registry into model_versions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'registry-int-'));
    try {
      const registry = createRegistry({ dir, table: createRegistryTable({ pool: t.pool }) });
      const version = await registry.newVersion();
      const meta = {
        version,
        createdAt: new Date().toISOString(),
        schemaHash: 'a'.repeat(64),
        backend: 'wasm (wasm)',
        data: { from: '2019-01-01T00:00:00.000Z', to: '2020-01-01T00:00:00.000Z' },
        evaluation: { rows: [] },
      } as unknown as ArtifactMeta;
      await mkdir(registry.pathOf(version), { recursive: true });
      await writeFile(join(registry.pathOf(version), 'artifact.json'), JSON.stringify(meta));
      await registry.register(meta, { name: 'ndcg@3', value: 0.7 });
      await registry.promote(version);
      const [rows] = await t.pool.query('SELECT version, status, metric, metric_value, metrics FROM model_versions');
      expect(rows).toEqual([
        { version, status: 'champion', metric: 'ndcg@3', metric_value: 0.7, metrics: '{"rows":[]}' },
      ]);
      const v2 = await registry.newVersion();
      expect(v2).not.toBe(version);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run model -- train, from the database', () => {
  it('reads the same histories as the generator wrote and trains, evaluates and registers a version', async () => {
    const db = await createTestDatabase({ prefix: 'modeltrain' });
    const dir = await mkdtemp(join(tmpdir(), 'train-int-'));
    try {
      const generator = createShopGenerator({ seed: 5, shoppers: 120 });
      await generateToDb({
        generator,
        writer: createShopDbWriter({ pool: db.pool, logger: silentLogger }),
        logger: silentLogger,
      });
      const to = new Date(Date.UTC(2020, 0, 1));
      const source = await createDbSource({ pool: db.pool, categoryMap: createCategoryMap(), to });
      const fromDb: ShopperHistory[] = [];
      for await (const h of source.histories()) fromDb.push(h);
      const inMemory = [...(createGeneratedSource({ seed: 5, shoppers: 120 }).histories() as Iterable<ShopperHistory>)];
      const summary = (hs: ShopperHistory[]) =>
        hs
          .map((h) => [
            h.profile?.region,
            h.orders.length,
            h.orders
              .flatMap((o) => o.lines.map((l) => l.category))
              .sort()
              .join(),
          ])
          .sort();
      expect(summary(fromDb)).toEqual(summary(inMemory));

      const lines: string[] = [];
      const registry = createRegistry({ dir, table: createRegistryTable({ pool: db.pool }) });
      const backend = await selectBackend({ only: ['wasm', 'cpu'] });
      const opts = {
        ...DEFAULT_PIPELINE,
        snapshot: { from: Date.UTC(2019, 0, 1), to: to.getTime(), stepDays: 14, horizonDays: 28 },
        fit: { ...DEFAULT_PIPELINE.fit, maxEpochs: 1 },
        logisticFit: { ...DEFAULT_PIPELINE.logisticFit, maxEpochs: 1 },
      };
      const first = await trainAndRegister({ backend, source, registry, out: (l) => lines.push(l) }, opts);
      const { entry, meta } = first;
      expect(entry.status).toBe('candidate');
      expect(meta.source).toMatchObject({ kind: 'database', database: db.name });
      expect(meta.evaluation.rows.map((r) => r.name)).toEqual([
        'Wide & Deep',
        'logistic regression',
        'popularity',
        'own most-bought',
        'recency-weighted',
      ]);
      expect(lines.join('\n')).toMatch(/NDCG@3/);
      expect(lines.join('\n')).toMatch(/Wide & Deep - popularity +ndcg@3 [+-]0\.\d{4} \[/);
      const [rows] = await db.pool.query('SELECT version, status FROM model_versions');
      expect(rows).toEqual([{ version: entry.version, status: 'candidate' }]);

      // A second run is compared with the champion on its own held-out rows, and promotion follows that comparison.
      expect(first.versusChampion).toBeNull();
      expect(await promoteIfBetter(registry, first)).toEqual({ promoted: true, reason: 'first champion' });
      const second = await trainAndRegister(
        { backend, source, registry, out: () => {} },
        { ...opts, fit: { ...opts.fit, seed: 2 } },
      );
      const head = second.versusChampion!;
      expect(head).toMatchObject({ champion: entry.version, metric: 'ndcg@3', baseline: `champion ${entry.version}` });
      expect(second.meta.evaluation.rows.find((r) => r.kind === 'champion')?.name).toBe(`champion ${entry.version}`);
      const decision = await promoteIfBetter(registry, second);
      expect(decision.promoted).toBe(head.diff > 0);
      expect((await registry.champion())?.version).toBe(head.diff > 0 ? second.entry.version : entry.version);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await db.drop();
    }
  });
});
