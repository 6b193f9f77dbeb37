import { computeUserFeatures } from '../../features/compute-features.ts';
import type { UserFeatures } from '../../streams/features/user-features.ts';
import { loadUserFacts } from './load-facts.ts';
import { inChunks, type Conn } from './sql.ts';
import { enqueueFeatures, enqueueTombstones } from './outbox.ts';

/**
 * Recomputes the features of these shoppers from base state and stores them. Recomputing from
 * state (rather than adding deltas) is what makes redelivery, cancellation and out-of-order
 * topics harmless: the result depends only on which changes have been applied.
 */
export async function recomputeUsers(
  conn: Conn,
  userIds: Iterable<number>,
  numCategories: number,
  opts: { outbox?: boolean } = {},
): Promise<UserFeatures[]> {
  const facts = await loadUserFacts(conn, [...userIds], { lock: true });
  const features = facts.map((f) =>
    computeUserFeatures(
      { userId: f.userId, profile: f.profile, orders: f.orders, asOf: f.asOf, sourceTs: f.sourceTs },
      { numCategories },
    ),
  );
  await inChunks(features, 500, async (chunk) => {
    const values = chunk.map((f) => [f.userId, new Date(f.asOf), new Date(f.sourceTs), JSON.stringify(f)]);
    await conn.query(
      `INSERT INTO user_features (user_id, as_of, source_ts, features) VALUES ?
      ON DUPLICATE KEY UPDATE as_of = VALUES(as_of), source_ts = VALUES(source_ts), features = VALUES(features)`,
      [values],
    );
    return [];
  });
  if (opts.outbox) await enqueueFeatures(conn, features);
  return features;
}

export async function deleteUserFeatures(
  conn: Conn,
  userIds: Iterable<number>,
  opts: { outbox?: boolean } = {},
): Promise<number[]> {
  const ids = [...userIds];
  if (ids.length) await conn.query('DELETE FROM user_features WHERE user_id IN (?)', [ids]);
  if (opts.outbox) await enqueueTombstones(conn, ids);
  return ids;
}
