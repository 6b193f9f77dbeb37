import type { Pool } from '../prisma/db/pool.ts';
import type { PlacedOrder } from './order-placer.ts';

const CHUNK = 500;
const clock = () => performance.timeOrigin + performance.now();

/**
 * Deletes the bench's orders from the shop, so that every run meets the shop's own histories and
 * not those of the runs before it: at 200 orders/s over the demo's 1,468 shoppers, each run would
 * add four orders to every one of them, and the feature store and the scorer read a shopper's
 * history on each order. Lines go first, in the same transaction: InnoDB's ON DELETE CASCADE
 * is not written to the binlog, so Debezium would never see those lines go. Each chunk's shoppers
 * are handed to `onRemoved` with the commit time, to wait for the recommendations after it.
 */
export async function removeOrders(
  pool: Pool,
  orders: readonly PlacedOrder[],
  onRemoved: (o: PlacedOrder) => void,
): Promise<void> {
  for (let i = 0; i < orders.length; i += CHUNK) {
    const chunk = orders.slice(i, i + CHUNK);
    const ids = chunk.map((o) => o.orderId);
    const conn = await pool.getConnection();
    try {
      await conn.beginTransaction();
      await conn.query('DELETE FROM order_items WHERE order_id IN (?)', [ids]);
      await conn.query('DELETE FROM orders WHERE id IN (?)', [ids]);
      await conn.commit();
    } catch (err) {
      await conn.rollback().catch(() => undefined);
      throw err;
    } finally {
      conn.release();
    }
    const committedAt = clock();
    for (const userId of new Set(chunk.map((o) => o.userId)))
      onRemoved({ orderId: `removed-${userId}`, userId, committedAt });
  }
}
