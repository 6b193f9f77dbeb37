import type { Pool } from '../../prisma/db/pool.ts';
import { recomputeUsers } from './recompute.ts';
import { rows, type Conn } from './sql.ts';

/**
 * Queues shoppers for recomputation, in the caller's transaction: the state change and the
 * promise to recompute commit together, so a crash after the commit still recomputes them.
 */
export async function queueRecompute(conn: Conn, userIds: Iterable<number>): Promise<number> {
  const ids = [...userIds];
  if (ids.length) await conn.query('INSERT INTO fs_recompute (user_id) VALUES ?', [ids.map((u) => [u])]);
  return ids.length;
}

/**
 * Recomputes the oldest queued shoppers (each once, however often they were queued) and deletes
 * the queue rows it read, in one transaction. Rows queued while it runs keep their place: their
 * state change may have committed after this recompute read the state. SKIP LOCKED lets several
 * instances drain side by side; the shoppers' row locks in recomputeUsers keep one shopper's
 * recomputes (and their outbox rows) in commit order. Returns how many shoppers it recomputed.
 */
export async function recomputeQueued(
  conn: Conn,
  numCategories: number,
  opts: { outbox?: boolean; limit?: number } = {},
): Promise<number> {
  const due = await rows<{ seq: string; user_id: number }>(
    conn,
    'SELECT seq, user_id FROM fs_recompute ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED',
    [opts.limit ?? 2_000],
  );
  if (!due.length) return 0;
  const users = new Set(due.map((r) => r.user_id));
  await recomputeUsers(conn, users, numCategories, { outbox: opts.outbox });
  await conn.query('DELETE FROM fs_recompute WHERE seq IN (?)', [due.map((r) => r.seq)]);
  return users.size;
}

export async function queuedCount(pool: Pool): Promise<number> {
  const [r] = await pool.query('SELECT COUNT(*) AS n FROM fs_recompute');
  return Number((r as { n: number }[])[0]!.n);
}
