import type { Pool } from 'mysql2/promise';
import type { PlacedOrder } from './order-placer.ts';

export interface Seen {
  userId: number;
  producedAt: number;
  materializedAt: number;
}

/**
 * Watches recommendation_current for the rows the placed orders wait for. It asks only for the
 * shoppers still waiting, by primary key, every 100 ms. Scanning by `materialized_at` would miss rows:
 * NOW(3) is taken when a materializer transaction starts, so one that commits after a later-started
 * one becomes visible with a time behind a mark already read past (the bench saw a few percent of
 * orders only at the shopper's next order, 7 s later, and called that a tail).
 */
export function watchTable(pool: Pool) {
  const seen: Seen[] = [];
  /** User id → commit times of their orders not yet matched by a row. */
  const waiting = new Map<number, number[]>();
  let stop = false;
  const poll = async () => {
    const ids = [...waiting.keys()];
    if (!ids.length) return;
    const [rows] = await pool.query(
      `SELECT user_id AS u, UNIX_TIMESTAMP(produced_at) * 1000 AS p, UNIX_TIMESTAMP(materialized_at) * 1000 AS m
         FROM recommendation_current WHERE user_id IN (?)`,
      [ids],
    );
    for (const r of rows as { u: number; p: string; m: string }[]) {
      const row = { userId: r.u, producedAt: Number(r.p), materializedAt: Number(r.m) };
      const commits = waiting.get(row.userId) ?? [];
      const left = commits.filter((c) => !(row.producedAt >= c - 1 && row.materializedAt >= c));
      if (left.length === commits.length) continue;
      seen.push(row);
      if (left.length) waiting.set(row.userId, left);
      else waiting.delete(row.userId);
    }
  };
  const loop = (async () => {
    while (!stop) {
      await poll();
      // The times come from the row (materialized_at), not from when the poll saw it.
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    seen,
    /** Called as each order commits: its shopper's row is now awaited. */
    expect(o: PlacedOrder) {
      waiting.set(o.userId, [...(waiting.get(o.userId) ?? []), o.committedAt]);
    },
    /** Orders whose row has not been seen yet. */
    pending: () => [...waiting.values()].reduce((n, c) => n + c.length, 0),
    async stop() {
      stop = true;
      await loop;
    },
  };
}
