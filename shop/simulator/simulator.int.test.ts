import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../e2e/harness/test-database.ts';
import { silentLogger } from '../../core/logger.ts';
import { createCategoryMap } from '../../features/category-map.ts';
import { generateToDb } from '../db-generate.ts';
import { createShopDbWriter } from '../db-writer.ts';
import { createShopGenerator } from '../generator/shop-generator.ts';
import { runSimulator } from './simulator.ts';

type Row = Record<string, string | number | null>;

describe('live order simulator', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase({ prefix: 'datasim' });
  });
  afterEach(async () => {
    await t.drop();
  });
  const count = async (sql: string) => Number(((await t.pool.query(sql))[0] as { n: number }[])[0]!.n);

  it('places orders at the requested rate, then pays, cancels and refunds them', async () => {
    const writer = createShopDbWriter({ pool: t.pool, logger: silentLogger });
    await generateToDb({ generator: createShopGenerator({ seed: 1, shoppers: 100 }), writer, logger: silentLogger });
    const before = await count('SELECT COUNT(*) n FROM orders');
    const lines: string[] = [];
    const r = await runSimulator(
      { pool: t.pool, writer, logger: silentLogger, categoryMap: createCategoryMap(), progress: (l) => lines.push(l) },
      { rate: 200, seed: 1, durationS: 3, cancelRate: 0.3, refundRate: 0.5, payDelayMs: 200, refundDelayMs: 300 },
    );
    expect(r.errors).toBe(0);
    expect(r.placed).toBeGreaterThan(450);
    expect(r.placed).toBeLessThanOrEqual(620);
    expect(lines.at(-1)).toMatch(/^simulate: rate [\d,]+\/s \(target 200\)\s+total [\d,]+\s+errors 0/);
    const rows = (
      await t.pool.query(`SELECT status, COUNT(*) n FROM orders WHERE external_ref IS NULL GROUP BY status`)
    )[0] as Row[];
    const by = Object.fromEntries(rows.map((x) => [x.status, Number(x.n)]));
    expect((by.placed ?? 0) + (by.paid ?? 0) + (by.cancelled ?? 0) + (by.refunded ?? 0)).toBe(r.placed);
    expect(by.cancelled).toBeGreaterThan(0);
    expect(by.refunded).toBeGreaterThan(0);
    expect(await count('SELECT COUNT(*) n FROM orders')).toBe(before + r.placed);
    expect(
      await count(
        'SELECT COUNT(*) n FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id)',
      ),
    ).toBe(0);
  });
});
