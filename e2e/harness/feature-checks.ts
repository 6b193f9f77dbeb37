import type { Admin } from 'kafkajs';
import { waitFor } from '../../core/wait-for.ts';
import type { Pool } from '../../prisma/db/pool.ts';
import type { CdcTopics } from '../../streams/cdc/topics.ts';
import { groupLag } from '../../consumers/feature-store/group-lag.ts';
import { pendingCount } from '../../consumers/feature-store/pending.ts';
import { queuedCount } from '../../consumers/feature-store/recompute-queue.ts';

/**
 * Polls until the group has committed every partition of these topics up to its end, nothing is
 * pending, and no shopper waits to be recomputed.
 */
export async function waitCaughtUp(
  admin: Admin,
  groupId: string,
  topics: CdcTopics,
  store: Pool,
  timeoutMs = 90_000,
): Promise<void> {
  await waitFor(
    async () => {
      if (
        (
          await groupLag(
            admin,
            groupId,
            Object.values(topics).map((t) => t.name),
          )
        ).total > 0
      )
        return false;
      return (await pendingCount(store)) === 0 && (await queuedCount(store)) === 0;
    },
    { timeoutMs, intervalMs: 100, what: `group ${groupId} to catch up` },
  );
}

const TABLES: Record<string, string> = {
  fs_users: 'SELECT user_id, gender, region, tenure_months, deleted, src_pos, src_ts FROM fs_users ORDER BY user_id',
  fs_categories: 'SELECT * FROM fs_categories ORDER BY category_id',
  fs_products: 'SELECT * FROM fs_products ORDER BY product_id',
  fs_product_versions: 'SELECT * FROM fs_product_versions ORDER BY product_id, src_pos',
  fs_orders: 'SELECT * FROM fs_orders ORDER BY order_id',
  fs_order_items: 'SELECT * FROM fs_order_items ORDER BY item_id',
  user_features: 'SELECT user_id, as_of, source_ts, features FROM user_features ORDER BY user_id',
};

/** Every table of the store, row for row, for comparing two stores. */
export async function dumpStore(pool: Pool): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [name, sql] of Object.entries(TABLES)) out[name] = (await pool.query(sql))[0] as unknown[];
  return out;
}
