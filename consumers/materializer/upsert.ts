import type { PoolConnection } from 'mysql2/promise';
import type { Recommendation } from '../../streams/recommendations/recommendation.ts';

const COLUMNS = ['recommendation_id', 'model_version', 'trigger_kind', 'cold_start', 'payload'];

/**
 * One multi-row upsert guarded by "newer wins": a row changes only if the incoming value is newer by
 * (source_ts, produced_at). MariaDB applies ON DUPLICATE KEY assignments left to right and later ones
 * see earlier results, so the guard columns come last: produced_at, then source_ts (once produced_at
 * is replaced, the guard on source_ts still holds exactly when source_ts itself must change).
 */
export async function upsertRecommendations(conn: PoolConnection, values: Recommendation[]): Promise<number> {
  if (!values.length) return 0;
  const newer = '(VALUES(source_ts), VALUES(produced_at)) > (source_ts, produced_at)';
  const set = [...COLUMNS, 'materialized_at', 'produced_at', 'source_ts']
    .map((c) => `${c} = IF(${newer}, VALUES(${c}), ${c})`)
    .join(', ');
  const rows = values.map((r) => [
    r.userId,
    r.recommendationId,
    r.modelVersion,
    r.trigger,
    r.coldStart,
    JSON.stringify(r),
    new Date(r.sourceTs),
    new Date(r.producedAt),
  ]);
  const [res] = await conn.query(
    `INSERT INTO recommendation_current
       (user_id, recommendation_id, model_version, trigger_kind, cold_start, payload, source_ts, produced_at, materialized_at)
     VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, NOW(3))').join(', ')}
     ON DUPLICATE KEY UPDATE ${set}`,
    rows.flat(),
  );
  return (res as { affectedRows: number }).affectedRows;
}

export async function deleteRecommendations(conn: PoolConnection, userIds: number[]): Promise<number> {
  if (!userIds.length) return 0;
  const [res] = await conn.query('DELETE FROM recommendation_current WHERE user_id IN (?)', [userIds]);
  return (res as { affectedRows: number }).affectedRows;
}
