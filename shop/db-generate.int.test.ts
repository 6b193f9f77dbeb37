import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../e2e/harness/test-database.ts';
import { silentLogger } from '../core/logger.ts';
import { generateToDb } from './db-generate.ts';
import { createShopDbWriter } from './db-writer.ts';
import { createShopGenerator } from './generator/shop-generator.ts';

type Row = Record<string, string | number | null>;

describe('generate into the shop database', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase({ prefix: 'datagen' });
  });
  afterEach(async () => {
    await t.drop();
  });
  const q = async (sql: string) => (await t.pool.query(sql))[0] as Row[];

  it('writes users, catalog and paid historical orders that match the generator', async () => {
    const gen = createShopGenerator({ seed: 3, shoppers: 150 });
    const writer = createShopDbWriter({ pool: t.pool, logger: silentLogger });
    const r = await generateToDb({ generator: gen, writer, logger: silentLogger, batchOrders: 300, concurrency: 2 });
    const expected = [...gen.generate()];
    const lines = expected.reduce((a, g) => a + g.transactions.reduce((b, x) => b + x.lines.length, 0), 0);
    expect(r).toEqual({ shoppers: 150, orders: expected.reduce((a, g) => a + g.transactions.length, 0), lines });
    const [counts] =
      await q(`SELECT (SELECT COUNT(*) FROM users) u, (SELECT COUNT(*) FROM orders) o, (SELECT COUNT(*) FROM order_items) i,
      (SELECT COUNT(*) FROM products) p, (SELECT COUNT(*) FROM categories) c, (SELECT COUNT(*) FROM orders WHERE status <> 'paid') np`);
    // COUNT(*) comes back as a string (bigNumberStrings).
    expect(Object.fromEntries(Object.entries(counts!).map(([k, v]) => [k, Number(v)]))).toEqual({
      u: 150,
      o: r.orders,
      i: lines,
      p: 1145,
      c: 20,
      np: 0,
    });

    // One shopper end to end: its orders, dates, lines and prices are the generated ones.
    const g = expected[7]!;
    const rows =
      await q(`SELECT o.external_ref tx, DATE_FORMAT(o.placed_at, '%Y-%m-%d') d, o.coupon_status cs, p.sku, i.quantity q, i.unit_price price
      FROM orders o JOIN users u ON u.id = o.user_id JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id
      WHERE u.external_ref = '${g.customer.customerId}' ORDER BY o.id, i.id`);
    const want = g.transactions.flatMap((x) =>
      x.lines.map((l) => ({
        tx: String(x.transactionId),
        d: new Date(Date.UTC(2019, 0, 1 + x.day)).toISOString().slice(0, 10),
        cs: x.couponStatus,
        sku: l.product.sku,
        q: l.quantity,
        price: l.product.price.toFixed(2),
      })),
    );
    expect(rows).toEqual(want);
    const [used] = await q(
      "SELECT COUNT(*) n, SUM(coupon_id IS NOT NULL) withCoupon FROM orders WHERE coupon_status = 'used'",
    );
    expect(Number(used!.withCoupon)).toBeGreaterThan(0.5 * Number(used!.n));
  });

  it('refuses to add to a shop that has orders unless asked to append', async () => {
    const writer = createShopDbWriter({ pool: t.pool, logger: silentLogger });
    const gen = () => createShopGenerator({ seed: 4, shoppers: 5 });
    await generateToDb({ generator: gen(), writer, logger: silentLogger });
    await expect(generateToDb({ generator: gen(), writer, logger: silentLogger })).rejects.toThrow(/--append/);
    await generateToDb({ generator: gen(), writer, logger: silentLogger, append: true });
    const [n] = await q(
      'SELECT COUNT(*) users, (SELECT COUNT(DISTINCT external_ref) FROM orders) txs, (SELECT COUNT(*) FROM orders) orders FROM users',
    );
    expect(Number(n!.users)).toBe(5);
    expect(Number(n!.orders)).toBe(2 * Number(n!.txs));
  });
});
