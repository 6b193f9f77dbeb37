import type { Message } from 'kafkajs';
import type { Pool } from '../../prisma/db/pool.ts';
import { inTransaction } from '../../prisma/db/transaction.ts';
import type { UserFeatures } from '../../streams/features/user-features.ts';
import { inChunks, rows, type Conn } from './sql.ts';

/** Queues feature rows for publishing, in the caller's transaction (after the shoppers' row locks). */
export async function enqueueFeatures(conn: Conn, features: UserFeatures[]): Promise<void> {
  await inChunks(features, 500, async (chunk) => {
    await conn.query('INSERT INTO fs_outbox (user_id, features, source_ts) VALUES ?', [
      chunk.map((f) => [f.userId, JSON.stringify(f), f.sourceTs]),
    ]);
    return [];
  });
}

/** Queues tombstones for deleted shoppers. */
export async function enqueueTombstones(conn: Conn, userIds: number[]): Promise<void> {
  if (userIds.length)
    await conn.query('INSERT INTO fs_outbox (user_id, features, source_ts) VALUES ?', [
      userIds.map((u) => [u, null, null]),
    ]);
}

/** Rows one drain publishes at most: a drain that publishes fewer found the outbox empty after them. */
export const DRAIN_LIMIT = 500;

interface OutboxRow {
  seq: string;
  user_id: number;
  features: string | null;
  source_ts: string | null;
}

const toMessage = (r: OutboxRow): Message => ({
  key: String(r.user_id),
  value: r.features,
  headers: r.source_ts ? { 'source-ts': r.source_ts } : {},
});

/**
 * Publishes the oldest queued rows in seq order and deletes them once `send` has returned
 * (the broker acknowledged them). One publisher at a time holds the publisher row; another
 * finds it locked and returns 0. A failed send leaves the rows for the next drain, and a
 * crash after the ack republishes the same values in the same order: the last value per key
 * is always the store's.
 */
export async function drainOutbox(
  pool: Pool,
  send: (msgs: Message[]) => Promise<void>,
  limit = DRAIN_LIMIT,
): Promise<number> {
  return inTransaction(pool, async (conn) => {
    const mine = await rows(conn, 'SELECT id FROM fs_outbox_publisher WHERE id = 1 FOR UPDATE SKIP LOCKED', []);
    if (!mine.length) return 0;
    const due = await rows<OutboxRow>(
      conn,
      'SELECT seq, user_id, features, source_ts FROM fs_outbox ORDER BY seq LIMIT ?',
      [limit],
    );
    if (!due.length) return 0;
    await send(due.map(toMessage));
    await conn.query('DELETE FROM fs_outbox WHERE seq IN (?)', [due.map((r) => r.seq)]);
    return due.length;
  });
}
