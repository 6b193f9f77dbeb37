import type { Pool } from '../prisma/db/pool.ts';

type Row = Record<string, unknown>;
const query = async (pool: Pool, sql: string) => (await pool.query(sql))[0] as Row[];

/** What one shopper's committed orders add up to: the figures the features must show. */
interface Totals {
  orders: number;
  lines: number;
  spend: number;
}

export interface OrderCheck {
  shopOrders: number;
  /** Committed orders the store lacks, or holds with an older status. */
  lost: number[];
  /** Orders in the store that the shop never committed. */
  phantom: number[];
  /** Shoppers whose features count fewer (lost) or more (duplicated) orders, lines or spend than the shop holds. */
  usersShort: { userId: number; orders: number }[];
  usersOver: { userId: number; orders: number }[];
}

/**
 * The shop database is the truth: every committed order, with its current status, must be in
 * the store once, and each shopper's features must count exactly the active ones (placed or paid),
 * their lines and their spend (the same rule as features/compute-features.ts at the latest time).
 */
export async function checkOrders(shop: Pool, store: Pool): Promise<OrderCheck> {
  const shopRows = await query(shop, 'SELECT id, status FROM orders');
  const storeRows = await query(store, 'SELECT order_id, status FROM fs_orders WHERE deleted = 0');
  const inStore = new Map(storeRows.map((r) => [Number(r.order_id), String(r.status)]));
  const inShop = new Set(shopRows.map((r) => Number(r.id)));
  const lost = shopRows.filter((r) => inStore.get(Number(r.id)) !== String(r.status)).map((r) => Number(r.id));
  const phantom = [...inStore.keys()].filter((id) => !inShop.has(id));
  const expected = new Map<number, Totals>();
  const sums = await query(
    shop,
    `SELECT o.user_id, COUNT(DISTINCT o.id) AS orders, COUNT(i.id) AS n_lines, COALESCE(SUM(i.quantity * i.unit_price), 0) AS spend
       FROM orders o LEFT JOIN order_items i ON i.order_id = o.id
      WHERE o.status IN ('placed', 'paid') GROUP BY o.user_id`,
  );
  for (const r of sums)
    expected.set(Number(r.user_id), { orders: Number(r.orders), lines: Number(r.n_lines), spend: Number(r.spend) });
  const actual = new Map<number, Totals>();
  for (const r of await query(store, 'SELECT user_id, features FROM user_features')) {
    const f = JSON.parse(String(r.features)) as { orderCount: number; lineCount: number; totalSpend: number };
    actual.set(Number(r.user_id), { orders: f.orderCount, lines: f.lineCount, spend: f.totalSpend });
  }
  const usersShort: OrderCheck['usersShort'] = [];
  const usersOver: OrderCheck['usersOver'] = [];
  for (const userId of new Set([...expected.keys(), ...actual.keys()])) {
    const e = expected.get(userId) ?? { orders: 0, lines: 0, spend: 0 };
    const a = actual.get(userId) ?? { orders: 0, lines: 0, spend: 0 };
    const over = a.orders > e.orders || a.lines > e.lines || a.spend > e.spend + 0.005;
    const short = a.orders < e.orders || a.lines < e.lines || a.spend < e.spend - 0.005;
    if (over) usersOver.push({ userId, orders: a.orders - e.orders });
    else if (short) usersShort.push({ userId, orders: e.orders - a.orders });
  }
  return { shopOrders: shopRows.length, lost, phantom, usersShort, usersOver };
}
