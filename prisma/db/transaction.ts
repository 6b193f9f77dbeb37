import type { PoolConnection } from 'mysql2/promise';
import type { Pool } from './pool.ts';

export interface TransactionOptions {
  /** The feature store reads with READ COMMITTED so a row lock shows what others committed before it. */
  isolation?: 'READ COMMITTED' | 'REPEATABLE READ';
  /**
   * Set `isolation` as the connection's session default, once per connection, instead of before
   * every transaction: one round trip less per transaction on a hot path. Only for pools whose
   * every transaction wants that level (or reads only with locks, where the level changes nothing).
   */
  sessionIsolation?: boolean;
}

/** Connections whose session default is already READ COMMITTED (keyed by the driver's own connection). */
const readCommittedSessions = new WeakSet<object>();
const coreOf = (conn: PoolConnection): object => (conn as unknown as { connection?: object }).connection ?? conn;

async function setIsolation(conn: PoolConnection, opts: TransactionOptions): Promise<void> {
  if (!opts.isolation) return;
  if (!opts.sessionIsolation || opts.isolation !== 'READ COMMITTED') {
    await conn.query(`SET TRANSACTION ISOLATION LEVEL ${opts.isolation}`);
    return;
  }
  const core = coreOf(conn);
  if (readCommittedSessions.has(core)) return;
  await conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
  readCommittedSessions.add(core);
}

/** Runs `fn` in one transaction on a pooled connection: commit on success, rollback on any failure. */
export async function inTransaction<T>(
  pool: Pool,
  fn: (conn: PoolConnection) => Promise<T>,
  opts: TransactionOptions = {},
): Promise<T> {
  const conn = await pool.getConnection();
  try {
    await setIsolation(conn, opts);
    await conn.beginTransaction();
    const out = await fn(conn);
    await conn.commit();
    return out;
  } catch (err) {
    await conn.rollback().catch(() => undefined);
    throw err;
  } finally {
    conn.release();
  }
}
