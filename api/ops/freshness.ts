import type { RowDataPacket } from 'mysql2/promise';
import type { Pool } from '../../prisma/db/pool.ts';
import type { Freshness } from '../schemas/ops.ts';

/** Upper bounds (ms) of the freshness histogram; the last bucket (le: null) holds the rest. */
export const FRESHNESS_BUCKETS_MS = [50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000];

const quantile = (sorted: number[], q: number): number | null =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]! : null;

/** How long from the shop's commit to the materialized row, as histogram buckets and quantiles. */
export function freshnessHistogram(delaysMs: readonly number[]): Freshness {
  const sorted = [...delaysMs].sort((a, b) => a - b);
  const counts = new Array<number>(FRESHNESS_BUCKETS_MS.length + 1).fill(0);
  for (const d of sorted) {
    const i = FRESHNESS_BUCKETS_MS.findIndex((le) => d <= le);
    counts[i < 0 ? FRESHNESS_BUCKETS_MS.length : i]! += 1;
  }
  return {
    // The contract's bounds are seconds (as Prometheus' le), the storefront labels them so.
    buckets: counts.map((count, i) => ({
      le: i < FRESHNESS_BUCKETS_MS.length ? FRESHNESS_BUCKETS_MS[i]! / 1000 : null,
      count,
    })),
    count: sorted.length,
    p50_ms: quantile(sorted, 0.5),
    p95_ms: quantile(sorted, 0.95),
    p99_ms: quantile(sorted, 0.99),
  };
}

/**
 * materialized_at − source_ts over the most recently materialized rows: the end-to-end delay a
 * shopper sees. Rows from a sweep have an old source_ts on purpose, so only event-driven triggers count.
 */
export async function readFreshness(pool: Pool, rows = 1000): Promise<Freshness> {
  const [r] = await pool.query<RowDataPacket[]>(
    `SELECT TIMESTAMPDIFF(MICROSECOND, source_ts, materialized_at) / 1000 AS ms
     FROM recommendation_current WHERE trigger_kind IN ('order', 'cold-start')
     ORDER BY materialized_at DESC LIMIT ?`,
    [rows],
  );
  return freshnessHistogram(r.map((x) => Math.max(0, Number(x.ms))));
}
