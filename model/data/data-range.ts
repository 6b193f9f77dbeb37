import type { RowDataPacket } from 'mysql2/promise';
import { classify, ValidationError } from '../../core/errors.ts';
import type { Pool } from '../../prisma/db/pool.ts';

const DAY = 86_400_000;

/**
 * The snapshot range a retrain uses: the newest `windowDays` of the shop's orders, ending a day
 * after the last one so its label window is open. The newest period becomes the held-out test
 * split, so challenger and champion are judged on the most recent behaviour.
 */
export async function newestOrderRange(pool: Pool, windowDays: number): Promise<{ from: number; to: number }> {
  let row: { lo: Date | null; hi: Date | null } | undefined;
  try {
    const [rows] = await pool.query<RowDataPacket[]>('SELECT MIN(placed_at) AS lo, MAX(placed_at) AS hi FROM orders');
    row = rows[0] as typeof row;
  } catch (err) {
    throw classify(err, 'reading the order range');
  }
  if (!row?.lo || !row.hi) throw new ValidationError('the shop database has no orders to train on');
  const to = row.hi.getTime() + DAY;
  return { from: Math.max(row.lo.getTime(), to - windowDays * DAY), to };
}
