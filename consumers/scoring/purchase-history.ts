import { classify } from '../../core/errors.ts';
import type { Pool } from '../../prisma/db/pool.ts';

/** What a shopper bought, as the product rules need it. */
export interface PurchaseHistory {
  /** Products in orders placed since the cut-off. */
  recentProducts: Set<number>;
  /** Distinct orders per model category, all time: two or more means the shopper re-buys there. */
  ordersPerModel: Map<number, number>;
}

interface LineRow {
  user_id: number;
  order_id: string;
  product_id: number;
  category_id: number | null;
  placed_at: Date;
}

export const emptyHistory = (): PurchaseHistory => ({ recentProducts: new Set(), ordersPerModel: new Map() });

/**
 * From the feature store's mirror of the shop (fs_orders / fs_order_items), which is already
 * current and keeps the category each line had when it was bought. Cancelled, refunded and
 * deleted orders and lines do not count, as in the features.
 */
export async function loadPurchaseHistory(
  pool: Pool,
  userIds: readonly number[],
  opts: { since: Date; modelOfRaw: Map<number, number> },
): Promise<Map<number, PurchaseHistory>> {
  const out = new Map<number, PurchaseHistory>();
  if (!userIds.length) return out;
  let rows: LineRow[];
  try {
    [rows] = (await pool.query(
      `SELECT o.user_id, o.order_id, i.product_id, i.category_id, o.placed_at
       FROM fs_orders o JOIN fs_order_items i ON i.order_id = o.order_id AND i.deleted = 0
       WHERE o.user_id IN (?) AND o.deleted = 0 AND o.status IN ('placed', 'paid')`,
      [userIds],
    )) as unknown as [LineRow[]];
  } catch (err) {
    throw classify(err, 'load purchase history');
  }
  const seen = new Set<string>();
  for (const r of rows) {
    let h = out.get(r.user_id);
    if (!h) out.set(r.user_id, (h = emptyHistory()));
    if (r.placed_at >= opts.since) h.recentProducts.add(r.product_id);
    const m = r.category_id === null ? -1 : (opts.modelOfRaw.get(r.category_id) ?? -1);
    const key = `${r.order_id}:${m}`;
    if (m < 0 || seen.has(key)) continue;
    seen.add(key);
    h.ordersPerModel.set(m, (h.ordersPerModel.get(m) ?? 0) + 1);
  }
  return out;
}
