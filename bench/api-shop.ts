import type { RowDataPacket } from 'mysql2/promise';
import { randomUUID } from 'node:crypto';
import { silentLogger } from '../core/logger.ts';
import type { Pool } from '../prisma/db/pool.ts';
import { generateToDb } from '../shop/db-generate.ts';
import { createShopDbWriter } from '../shop/db-writer.ts';
import { createShopGenerator } from '../shop/generator/shop-generator.ts';
import type { Recommendation } from '../streams/recommendations/recommendation.ts';
import { materialize } from '../e2e/harness/api-fixture.ts';

/**
 * The demo shop in a scratch database, and one materialized recommendation per shopper (three
 * categories, four products each, as the scorer publishes), so every /home read hits a real row.
 */
export async function benchShop(pool: Pool, shoppers: number): Promise<number[]> {
  const writer = createShopDbWriter({ pool, logger: silentLogger });
  await generateToDb({ generator: createShopGenerator({ seed: 7, shoppers }), writer, logger: silentLogger });
  const [users] = await pool.query<RowDataPacket[]>('SELECT id FROM users ORDER BY id');
  const [products] = await pool.query<RowDataPacket[]>(
    'SELECT p.id, p.category_id, c.name, p.title, p.price FROM products p JOIN categories c ON c.id = p.category_id ORDER BY p.id',
  );
  const byCategory = new Map<number, RowDataPacket[]>();
  for (const p of products)
    byCategory.set(Number(p.category_id), [...(byCategory.get(Number(p.category_id)) ?? []), p]);
  const cats = [...byCategory.keys()];
  const ids = users.map((u) => Number(u.id));
  const now = new Date().toISOString();
  for (const userId of ids) {
    const picked = [0, 1, 2].map((k) => cats[(userId + k * 7) % cats.length]!);
    const rec: Recommendation = {
      recommendationId: randomUUID(),
      userId,
      modelVersion: 'wd-bench',
      trigger: 'sweep',
      runId: null,
      coldStart: false,
      categories: picked.map((c, i) => ({
        categoryId: c,
        name: String(byCategory.get(c)![0]!.name),
        score: 0.5 / (i + 1),
        rank: i + 1,
        reasons: [{ code: 'bought-category-recently', text: `You bought this ${i + 1} times recently` }],
      })),
      products: picked.flatMap((c) =>
        byCategory
          .get(c)!
          .slice(0, 4)
          .map((p) => ({
            productId: Number(p.id),
            categoryId: c,
            title: String(p.title),
            price: Number(p.price),
            imageUrl: '',
          })),
      ),
      sourceTs: now,
      producedAt: now,
    };
    await materialize(pool, rec);
  }
  return ids;
}
