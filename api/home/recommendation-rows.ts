import type { RowDataPacket } from 'mysql2/promise';
import type { Logger } from '../../core/logger.ts';
import type { Pool } from '../../prisma/db/pool.ts';
import { recommendationSchema, type Recommendation } from '../../streams/recommendations/recommendation.ts';

/** A shopper as the hot read sees them: the nickname and the materialized recommendation, if any. */
export interface ShopperRow {
  nickname: string;
  recommendation: Recommendation | null;
}

export interface RecommendationRows {
  /** null when there is no such shopper. */
  find(userId: number): Promise<ShopperRow | null>;
}

/** MariaDB returns JSON columns as text, MySQL 8 as parsed objects: accept both. */
function parsePayload(raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string') return JSON.parse(raw);
  if (Buffer.isBuffer(raw)) return JSON.parse(raw.toString('utf8'));
  return raw;
}

/**
 * The hot read: one primary-key lookup with a LEFT JOIN, on the mysql2 pool (Prisma measured
 * ~470 queries/s here, far below what /home must serve).
 */
export function createRecommendationRows(deps: { pool: Pool; logger: Logger }): RecommendationRows {
  return {
    async find(userId) {
      const [rows] = await deps.pool.query<RowDataPacket[]>(
        'SELECT u.nickname, rc.payload FROM users u LEFT JOIN recommendation_current rc ON rc.user_id = u.id WHERE u.id = ?',
        [userId],
      );
      const row = rows[0];
      if (!row) return null;
      const payload = parsePayload(row.payload);
      if (payload === null) return { nickname: String(row.nickname), recommendation: null };
      const parsed = recommendationSchema.safeParse(payload);
      if (!parsed.success) {
        // A row the materializer should never have written: serve popularity rather than fail the page.
        deps.logger.warn('recommendation_current row does not match recommendations.v1', {
          userId,
          issue: parsed.error.issues[0]?.message,
        });
        return { nickname: String(row.nickname), recommendation: null };
      }
      return { nickname: String(row.nickname), recommendation: parsed.data };
    },
  };
}
