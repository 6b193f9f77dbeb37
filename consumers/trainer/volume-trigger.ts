import type { RowDataPacket } from 'mysql2/promise';
import { classify } from '../../core/errors.ts';
import type { Pool } from '../../prisma/db/pool.ts';
import { readMeta } from '../../model/registry/artifact.ts';
import type { Registry } from '../../model/registry/registry.ts';

/** Where the newest model's data ended: the highest order id it read (db-source records it). */
export async function lastTrainedOrderId(registry: Registry): Promise<number> {
  const newest = (await registry.list()).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  if (!newest) return 0;
  const meta = await readMeta(registry.pathOf(newest.version));
  const max = Number(meta.source.maxOrderId ?? 0);
  return Number.isFinite(max) ? max : 0;
}

export async function ordersAfter(pool: Pool, orderId: number): Promise<number> {
  try {
    const [rows] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM orders WHERE id > ?', [orderId]);
    return Number(rows[0]?.n ?? 0);
  } catch (err) {
    throw classify(err, 'counting new orders');
  }
}

/**
 * The run id a volume trigger requests: named after the newest model's last order, so the same
 * threshold crossing asks once however often it is checked, and a new model starts a new count.
 */
export const volumeRunId = (afterOrderId: number) => `retrain:volume-after-order-${afterOrderId}`;

/** Whether N new orders have arrived since the newest model; returns the run id to request, or null. */
export async function checkVolume(deps: { pool: Pool; registry: Registry; afterOrders: number }) {
  const last = await lastTrainedOrderId(deps.registry);
  const count = await ordersAfter(deps.pool, last);
  return { count, runId: count >= deps.afterOrders ? volumeRunId(last) : null };
}
