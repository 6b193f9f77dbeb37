import type { PoolConnection } from 'mysql2/promise';
import type { Pool } from './pool.ts';

export interface TransactionOptions {
  /** The feature store reads with READ COMMITTED so a row lock shows what others committed before it. */
  isolation?: 'READ COMMITTED' | 'REPEATABLE READ';
}

/** Runs `fn` in one transaction on a pooled connection: commit on success, rollback on any failure. */
export async function inTransaction<T>(
  pool: Pool,
  fn: (conn: PoolConnection) => Promise<T>,
  opts: TransactionOptions = {},
): Promise<T> {
  const conn = await pool.getConnection();
  try {
    if (opts.isolation) await conn.query(`SET TRANSACTION ISOLATION LEVEL ${opts.isolation}`);
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
