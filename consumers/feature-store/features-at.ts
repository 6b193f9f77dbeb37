import { computeUserFeatures } from '../../features/compute-features.ts';
import type { Pool } from '../../prisma/db/pool.ts';
import { NotFoundError } from '../../core/errors.ts';
import type { UserFeatures } from '../../streams/features/user-features.ts';
import { loadUserFacts } from './load-facts.ts';

/**
 * "What were this shopper's features at time T?" by event time: orders placed after T do not
 * exist yet, and a cancellation after T has not happened yet. Same code as the live store.
 */
export async function featuresAt(pool: Pool, userId: number, at: Date, numCategories: number): Promise<UserFeatures> {
  const conn = await pool.getConnection();
  try {
    const [facts] = await loadUserFacts(conn, [userId], { lock: false });
    if (!facts) throw new NotFoundError(`shopper ${userId} is not in the feature store`);
    return computeUserFeatures({ userId, profile: facts.profile, orders: facts.orders, asOf: at }, { numCategories });
  } finally {
    conn.release();
  }
}
