import type { ResultSetHeader } from 'mysql2';
import type mysql from 'mysql2/promise';

/**
 * Places an order as root, which read_only does not bind: the shop keeps taking orders while
 * a test holds the server read-only for the app user (who must lack SUPER and READ ONLY ADMIN).
 */
export async function placeOrderAsRoot(
  root: mysql.Connection,
  database: string,
  userId: number,
  lines: [productId: number, qty: number, price: string][],
): Promise<number> {
  await root.beginTransaction();
  const [o] = await root.query<ResultSetHeader>(
    `INSERT INTO \`${database}\`.orders (user_id, status, coupon_status, delivery_charge, placed_at)
     VALUES (?, 'paid', 'used', 6.00, NOW(3))`,
    [userId],
  );
  await root.query(`INSERT INTO \`${database}\`.order_items (order_id, product_id, quantity, unit_price) VALUES ?`, [
    lines.map(([p, q, price]) => [o.insertId, p, q, price]),
  ]);
  await root.commit();
  return o.insertId;
}
