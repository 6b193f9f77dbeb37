import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../e2e/harness/test-database.ts';
import { writeShopFixture } from '../../e2e/fixtures/shop-files.ts';
import { silentLogger } from '../../core/logger.ts';
import { createCategoryMap } from '../../features/category-map.ts';
import { createShopDbWriter } from '../db-writer.ts';
import { importShopDirectory } from './db-import.ts';

type Row = Record<string, string | number | null>;

describe.each(['kaggle', 'dacon'] as const)('import %s files into the shop database', (layout) => {
  let t: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    t = await createTestDatabase({ prefix: 'dataimp' });
    dir = await mkdtemp(join(tmpdir(), 'import-'));
  });
  afterEach(async () => {
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });
  const q = async (sql: string) => (await t.pool.query(sql))[0] as Row[];

  it('imports the good rows as paid orders and reports the bad ones', async () => {
    const fx = await writeShopFixture(dir, layout, { encoding: layout === 'dacon' ? 'cp949' : undefined });
    const summary = await importShopDirectory({
      dir,
      writer: createShopDbWriter({ pool: t.pool, logger: silentLogger }),
      categoryMap: createCategoryMap(),
    });
    expect(summary.rejects.count).toBe(fx.rejects.length);
    expect(summary.sharedTransactionIds).toBe(1);
    expect(summary.lines).toBe(fx.sales.length);
    const orderKeys = new Set(fx.sales.map((l) => `${l.transactionId}|${l.customerId}`));
    expect(summary.orders).toBe(orderKeys.size);
    const [c] =
      await q(`SELECT (SELECT COUNT(*) FROM users) u, (SELECT COUNT(*) FROM order_items) i, (SELECT COUNT(*) FROM coupons) cp,
      (SELECT COUNT(*) FROM orders WHERE external_ref = '16682') shared, (SELECT COUNT(DISTINCT status) FROM orders) statuses`);
    // COUNT(*) comes back as a string (bigNumberStrings).
    expect(Object.fromEntries(Object.entries(c!).map(([k, v]) => [k, Number(v)]))).toEqual({
      u: fx.customers.length,
      i: fx.sales.length,
      cp: fx.discounts.length,
      shared: 2,
      statuses: 1,
    });

    // Transaction 16682 of the first customer: one Not Used and one Used line -> the order is 'used'
    // with January's Apparel-or-Bags coupon (the first used line is Bags: no coupon that month).
    const rows =
      await q(`SELECT o.coupon_status cs, o.coupon_id cid, DATE_FORMAT(o.placed_at, '%Y-%m-%d %H:%i:%s') at, o.delivery_charge dc, CAST(COUNT(i.id) AS CHAR) n
      FROM orders o JOIN users u ON u.id = o.user_id JOIN order_items i ON i.order_id = o.id
      WHERE o.external_ref = '16682' AND u.external_ref = '${fx.customers[0]!.customerId}' GROUP BY o.id`);
    expect(rows).toEqual([{ cs: 'used', cid: null, at: '2019-01-02 00:00:00', dc: '6.50', n: '2' }]);
    const [nest] = await q(
      "SELECT o.coupon_id cid, c.code FROM orders o JOIN coupons c ON c.id = o.coupon_id WHERE o.external_ref = '16679'",
    );
    expect(nest).toMatchObject({ code: 'ELEC10' });
    const [p] = await q("SELECT title, price FROM products WHERE sku = 'GGOEGPJC019099'");
    expect(p).toEqual({ title: layout === 'kaggle' ? '7" Dog Frisbee' : 'GGOEGPJC019099 (Lifestyle)', price: '1.24' });
  });

  it('refuses a second import into a shop with orders unless --append', async () => {
    await writeShopFixture(dir, layout);
    const deps = {
      dir,
      writer: createShopDbWriter({ pool: t.pool, logger: silentLogger }),
      categoryMap: createCategoryMap(),
    };
    await importShopDirectory(deps);
    await expect(importShopDirectory(deps)).rejects.toThrow(/--append/);
  });

  it('importing the same files again with --append, or after a stop midway, inserts no order twice', async () => {
    const fx = await writeShopFixture(dir, layout);
    const writer = createShopDbWriter({ pool: t.pool, logger: silentLogger });
    const deps = { dir, writer, categoryMap: createCategoryMap(), batchOrders: 2 };
    const sales = (await readdir(dir)).find((f) => /sales/i.test(f))!;
    const full = await readFile(join(dir, sales), 'utf8');
    const lines = full.split(/\r?\n/);
    // The first run stops midway, after the batches of the first half of the orders committed.
    const order = (l: string) => l.split(',').slice(0, 2).join();
    let cut = Math.ceil(lines.length / 2);
    while (order(lines[cut]!) === order(lines[cut - 1]!)) cut++;
    await writeFile(join(dir, sales), lines.slice(0, cut).join('\n'));
    const first = await importShopDirectory(deps);
    await writeFile(join(dir, sales), full);
    const second = await importShopDirectory({ ...deps, append: true });
    const third = await importShopDirectory({ ...deps, append: true });
    const orderKeys = new Set(fx.sales.map((l) => `${l.transactionId}|${l.customerId}`));
    const [c] = await q('SELECT COUNT(*) n, COUNT(DISTINCT source_ref) refs FROM orders');
    expect(first.orders).toBeGreaterThan(0);
    expect(first.orders + second.orders).toBe(orderKeys.size);
    expect(second.alreadyImported).toBe(first.orders);
    expect(third).toMatchObject({ orders: 0, lines: 0, alreadyImported: orderKeys.size });
    expect([Number(c!.n), Number(c!.refs)]).toEqual([orderKeys.size, orderKeys.size]);
    const [i] = await q('SELECT COUNT(*) n FROM order_items');
    expect(Number(i!.n)).toBe(fx.sales.length);
  });
});
