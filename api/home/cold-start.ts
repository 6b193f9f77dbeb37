import type { RowDataPacket } from 'mysql2/promise';
import type { Logger } from '../../core/logger.ts';
import type { Pool } from '../../prisma/db/pool.ts';
import { pickPopular, type SoldProduct } from './popular-products.ts';
import type { ColdStartPick, ImageUrlOf } from './render-home.ts';

export interface ColdStart {
  pick(): Promise<ColdStartPick>;
}

const SOLD_SQL = `
  SELECT p.id, p.category_id, c.name AS category_name, p.title, p.price, s.sold
  FROM (SELECT oi.product_id, SUM(oi.quantity) AS sold
        FROM order_items oi JOIN orders o ON o.id = oi.order_id
        WHERE o.status IN ('placed', 'paid')
        GROUP BY oi.product_id) s
  JOIN products p ON p.id = s.product_id
  JOIN categories c ON c.id = p.category_id`;

// A shop without orders still has a catalogue to show.
const UNSOLD_SQL = `
  SELECT p.id, p.category_id, c.name AS category_name, p.title, p.price, 0 AS sold
  FROM products p JOIN categories c ON c.id = p.category_id ORDER BY p.id LIMIT 500`;

async function loadSold(pool: Pool): Promise<SoldProduct[]> {
  let [rows] = await pool.query<RowDataPacket[]>(SOLD_SQL);
  if (rows.length === 0) [rows] = await pool.query<RowDataPacket[]>(UNSOLD_SQL);
  return rows.map((r) => ({
    productId: Number(r.id),
    categoryId: Number(r.category_id),
    categoryName: String(r.category_name),
    title: String(r.title),
    price: Number(r.price),
    sold: Number(r.sold),
  }));
}

/**
 * Popularity changes slowly and the query scans every order line, so the pick is kept for `ttlMs`
 * and refreshed in the background; a failed refresh keeps serving the last good pick.
 */
export function createColdStart(deps: {
  pool: Pool;
  imageUrl: ImageUrlOf;
  clock: () => Date;
  logger: Logger;
  ttlMs?: number;
}): ColdStart {
  const ttl = deps.ttlMs ?? 5 * 60_000;
  let cached: { pick: ColdStartPick; at: number } | undefined;
  let loading: Promise<ColdStartPick> | undefined;
  const load = () =>
    (loading ??= loadSold(deps.pool)
      .then((sold) => {
        const now = deps.clock();
        cached = { pick: pickPopular(sold, deps.imageUrl, now), at: now.getTime() };
        return cached.pick;
      })
      .finally(() => {
        loading = undefined;
      }));
  return {
    async pick() {
      if (!cached) return load();
      if (deps.clock().getTime() - cached.at > ttl) {
        load().catch((err: unknown) => deps.logger.warn('popularity refresh failed; keeping the last pick', { err }));
      }
      return cached.pick;
    },
  };
}
