import type { RowDataPacket } from 'mysql2/promise';
import type { CategoryMap } from '../../features/category-map.ts';
import type { Pool } from '../../prisma/db/pool.ts';
import { classify } from '../../core/errors.ts';
import type { LineFacts, OrderFacts, OrderStatus } from '../../features/compute-features.ts';
import type { HistorySource, ShopperHistory } from './shopper-history.ts';

/**
 * Shopper histories straight from the shop database (the source of truth the feature store
 * mirrors), a block of users at a time. Orders up to `to` are read, including those before the
 * first snapshot: features at t need the whole history. The schema has no status-change time,
 * so a cancelled/refunded order's `updated_at` stands in for it (it stops counting from then).
 */
export interface DbSourceOptions {
  pool: Pool;
  categoryMap: CategoryMap;
  /** Orders placed after this are never read (the end of the last label window). */
  to: Date;
  usersPerQuery?: number;
}

interface OrderRow extends RowDataPacket {
  id: string;
  user_id: number;
  status: OrderStatus;
  coupon_status: OrderFacts['couponStatus'];
  delivery_charge: string;
  placed_at: Date;
  updated_at: Date;
}
interface ItemRow extends RowDataPacket {
  order_id: string;
  category_id: number;
  quantity: number;
  unit_price: string;
}

async function query<T extends RowDataPacket>(pool: Pool, sql: string, params: unknown[]): Promise<T[]> {
  try {
    const [rows] = await pool.query<T[]>(sql, params);
    return rows;
  } catch (err) {
    throw classify(err, 'reading shop history');
  }
}

async function categoryIndex(pool: Pool, map: CategoryMap): Promise<Map<number, number>> {
  const rows = await query<RowDataPacket & { id: number; name: string }>(pool, 'SELECT id, name FROM categories', []);
  return new Map(rows.map((r) => [r.id, map.modelIndexOfRaw(r.name)]));
}

async function block(
  opts: DbSourceOptions,
  cats: Map<number, number>,
  lo: number,
  hi: number,
): Promise<ShopperHistory[]> {
  const users = await query<RowDataPacket & { id: number; gender: 'F' | 'M'; region: string; tenure_months: number }>(
    opts.pool,
    'SELECT id, gender, region, tenure_months FROM users WHERE id >= ? AND id < ? ORDER BY id',
    [lo, hi],
  );
  const orders = await query<OrderRow>(
    opts.pool,
    'SELECT id, user_id, status, coupon_status, delivery_charge, placed_at, updated_at FROM orders WHERE user_id >= ? AND user_id < ? AND placed_at <= ?',
    [lo, hi, opts.to],
  );
  const items = await query<ItemRow>(
    opts.pool,
    `SELECT i.order_id, p.category_id, i.quantity, i.unit_price FROM order_items i JOIN orders o ON o.id = i.order_id
     JOIN products p ON p.id = i.product_id WHERE o.user_id >= ? AND o.user_id < ? AND o.placed_at <= ? ORDER BY i.id`,
    [lo, hi, opts.to],
  );
  const lines = new Map<string, LineFacts[]>();
  for (const i of items) {
    const list = lines.get(i.order_id) ?? [];
    list.push({ category: cats.get(i.category_id) ?? -1, quantity: i.quantity, unitPrice: Number(i.unit_price) });
    lines.set(i.order_id, list);
  }
  const byUser = new Map<number, OrderFacts[]>();
  for (const o of orders) {
    const list = byUser.get(o.user_id) ?? [];
    list.push({
      orderId: Number(o.id),
      placedAt: o.placed_at,
      status: o.status,
      statusChangedAt: o.status === 'cancelled' || o.status === 'refunded' ? o.updated_at : null,
      couponStatus: o.coupon_status,
      deliveryCharge: Number(o.delivery_charge),
      lines: lines.get(o.id) ?? [],
    });
    byUser.set(o.user_id, list);
  }
  return users.map((u) => ({
    userId: u.id,
    profile: { gender: u.gender, region: u.region, tenureMonths: u.tenure_months },
    orders: byUser.get(u.id) ?? [],
  }));
}

/** High-water marks of what was read, recorded in the artifact so a run can be reproduced or resumed. */
async function offsets(pool: Pool, to: Date): Promise<Record<string, string | number | null>> {
  const [row] = await query<RowDataPacket & { max_id: string | null; max_updated: Date | null; n: number }>(
    pool,
    'SELECT MAX(id) AS max_id, MAX(updated_at) AS max_updated, COUNT(*) AS n FROM orders WHERE placed_at <= ?',
    [to],
  );
  return {
    maxOrderId: row?.max_id ?? null,
    maxOrderUpdatedAt: row?.max_updated?.toISOString() ?? null,
    orders: Number(row?.n ?? 0),
  };
}

export async function createDbSource(opts: DbSourceOptions): Promise<HistorySource> {
  const cats = await categoryIndex(opts.pool, opts.categoryMap);
  const [range] = await query<RowDataPacket & { lo: number | null; hi: number | null }>(
    opts.pool,
    'SELECT MIN(id) AS lo, MAX(id) AS hi FROM users',
    [],
  );
  const step = opts.usersPerQuery ?? 2000;
  const [database] = await query<RowDataPacket & { db: string }>(opts.pool, 'SELECT DATABASE() AS db', []);
  return {
    categories: opts.categoryMap.model,
    description: { kind: 'database', database: database?.db ?? null, ...(await offsets(opts.pool, opts.to)) },
    async *histories() {
      if (range?.lo == null || range.hi == null) return;
      for (let lo = range.lo; lo <= range.hi; lo += step) yield* await block(opts, cats, lo, lo + step);
    },
  };
}
