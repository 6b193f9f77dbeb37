import mysql from 'mysql2';
import type { Pool } from '../../prisma/db/pool.ts';
import { recomputeUsers } from './recompute.ts';
import { rows, type Conn } from './sql.ts';

/**
 * Queues shoppers for recomputation, in the caller's transaction: the state change and the
 * promise to recompute commit together, so a crash after the commit still recomputes them.
 * With `dueInMs`, the rows fall due that much later (by the database's clock): a sooner row of the
 * same shopper (their order's lines, say) recomputes them first and takes these rows with it.
 */
export async function queueRecompute(conn: Conn, userIds: Iterable<number>, dueInMs = 0): Promise<number> {
  const ids = [...userIds];
  if (!ids.length) return 0;
  if (dueInMs <= 0) await conn.query('INSERT INTO fs_recompute (user_id) VALUES ?', [ids.map((u) => [u])]);
  else {
    const due = mysql.raw(`NOW(3) + INTERVAL ${Math.round(dueInMs * 1000)} MICROSECOND`);
    await conn.query('INSERT INTO fs_recompute (user_id, due_at) VALUES ?', [ids.map((u) => [u, due])]);
  }
  return ids.length;
}

/**
 * Recomputes the oldest due shoppers (each once, however often they were queued) and deletes
 * the queue rows it read, in one transaction: their due rows, and their rows not due yet, which
 * committed with their state change before this drain reads the state, so the recompute covers
 * them. Rows queued while it runs keep their place: their state change may have committed after
 * this recompute read the state. SKIP LOCKED lets several instances drain side by side; the
 * shoppers' row locks in recomputeUsers keep one shopper's recomputes (and their outbox rows) in
 * commit order. Returns how many shoppers it recomputed, and whether it stopped at `limit`.
 */
export async function recomputeQueued(
  conn: Conn,
  numCategories: number,
  opts: { outbox?: boolean; limit?: number } = {},
): Promise<{ recomputed: number; more: boolean }> {
  const limit = opts.limit ?? 2_000;
  const due = await rows<{ seq: string; user_id: number }>(
    conn,
    `SELECT seq, user_id FROM fs_recompute WHERE due_at IS NULL OR due_at <= NOW(3)
    ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  if (!due.length) return { recomputed: 0, more: false };
  const users = new Set(due.map((r) => r.user_id));
  const early = await rows<{ seq: string }>(
    conn,
    'SELECT seq FROM fs_recompute WHERE user_id IN (?) AND due_at > NOW(3) FOR UPDATE SKIP LOCKED',
    [[...users]],
  );
  await recomputeUsers(conn, users, numCategories, { outbox: opts.outbox });
  await conn.query('DELETE FROM fs_recompute WHERE seq IN (?)', [[...due, ...early].map((r) => r.seq)]);
  return { recomputed: users.size, more: due.length === limit };
}

export async function queuedCount(pool: Pool): Promise<number> {
  const [r] = await pool.query('SELECT COUNT(*) AS n FROM fs_recompute');
  return Number((r as { n: number }[])[0]!.n);
}
