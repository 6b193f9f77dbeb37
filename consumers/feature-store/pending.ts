import type { Pool } from '../../prisma/db/pool.ts';
import { inTransaction } from '../../prisma/db/transaction.ts';
import type { InboundMessage, PendingRef } from './inbound.ts';
import type { Rejection } from '../shared/dlq.ts';
import { rows, type Conn } from './sql.ts';
import { resolveLineCategories } from './base-state.ts';
import type { PartitionProgress, TopicProgress } from './topic-progress.ts';

export async function recordPending(conn: Conn, refs: PendingRef[]): Promise<void> {
  if (!refs.length) return;
  // INSERT IGNORE: a redelivered message keeps its first_seen, so its grace period does not restart.
  const values = refs.map((r) => [
    r.kind,
    r.id,
    r.msg.topic,
    r.msg.partition,
    r.msg.offset,
    r.msg.key,
    r.msg.value,
    JSON.stringify(r.msg.headers),
  ]);
  await conn.query(
    `INSERT IGNORE INTO fs_pending (ref_kind, ref_id, topic, kafka_partition, kafka_offset, msg_key, msg_value, msg_headers)
    VALUES ?`,
    [values],
  );
}

/** Which references a settle looks at: all (the timer sweep) or the ids a committed chunk brought. */
export type SettleScope = 'all' | { kind: PendingRef['kind']; ids: number[] };

const within = (scope: SettleScope, kind: PendingRef['kind']) =>
  scope === 'all'
    ? { run: true, sql: '', args: [] }
    : { run: scope.kind === kind, sql: 'AND p.ref_id IN (?)', args: [scope.ids] };

/**
 * Whether any row waits for these ids, in one statement outside a transaction: a chunk's settle
 * mostly finds none, and then costs no transaction. A row it misses (not committed yet) the
 * locking settle would skip too; the chunk that brings it settles it, or the timer does.
 */
export async function anyPending(pool: Pool, scope: Exclude<SettleScope, 'all'>): Promise<boolean> {
  if (!scope.ids.length) return false;
  const [r] = await pool.query('SELECT 1 FROM fs_pending WHERE ref_kind = ? AND ref_id IN (?) LIMIT 1', [
    scope.kind,
    scope.ids,
  ]);
  return (r as unknown[]).length > 0;
}

/**
 * Settles pending rows whose reference has arrived meanwhile. Two transactions on different
 * partitions (an order line and its order, say) can each miss the other's uncommitted row;
 * the pending row is what survives that race, and this turns it into a recompute. With a scope,
 * only rows waiting for those ids are looked at (an index lookup, right after their chunk).
 * Returns the shoppers whose features must be recomputed.
 */
export async function settleArrived(conn: Conn, scope: SettleScope = 'all'): Promise<number[]> {
  const u = within(scope, 'user');
  const users = !u.run
    ? []
    : await rows<{ id: string; user_id: number }>(
        conn,
        `SELECT p.id, p.ref_id AS user_id FROM fs_pending p
    JOIN fs_users u ON u.user_id = p.ref_id WHERE p.ref_kind = 'user' ${u.sql} FOR UPDATE SKIP LOCKED`,
        u.args,
      );
  const o = within(scope, 'order');
  const orders = !o.run
    ? []
    : await rows<{ id: string; user_id: number }>(
        conn,
        `SELECT p.id, o.user_id FROM fs_pending p
    JOIN fs_orders o ON o.order_id = p.ref_id WHERE p.ref_kind = 'order' ${o.sql} FOR UPDATE SKIP LOCKED`,
        o.args,
      );
  const pr = within(scope, 'product');
  const products = !pr.run
    ? []
    : await rows<{ id: string; product_id: number }>(
        conn,
        `SELECT p.id, p.ref_id AS product_id FROM fs_pending p
    WHERE p.ref_kind = 'product' ${pr.sql}
      AND EXISTS (SELECT 1 FROM fs_product_versions v WHERE v.product_id = p.ref_id)
    FOR UPDATE SKIP LOCKED`,
        pr.args,
      );
  const touched = new Set([...users, ...orders].map((r) => r.user_id));
  const productIds = [...new Set(products.map((p) => p.product_id))];
  for (const u of await resolveLineCategories(conn, 'product_id', productIds, { onlyNull: true })) touched.add(u);
  const ids = [...users, ...orders, ...products].map((r) => r.id);
  if (ids.length) await conn.query('DELETE FROM fs_pending WHERE id IN (?)', [ids]);
  return [...touched];
}

interface PendingRowDb {
  id: string;
  ref_kind: PendingRef['kind'];
  ref_id: string;
  topic: string;
  kafka_partition: number;
  kafka_offset: string;
  msg_key: Buffer | null;
  msg_value: Buffer | null;
  msg_headers: string;
  first_seen: Date;
  wait_for: string | null;
}

export interface SweepOptions {
  /** The least wall time an event waits for its reference. */
  graceMs: number;
  /** The topic that delivers each kind of reference. */
  topics: Record<PendingRef['kind'], string>;
  progress: TopicProgress;
}

type Ends = Record<string, string>;

/** Stamps rows the sweep sees first with the delivering topic's end offsets now. */
async function stampWaits(conn: Conn, ends: Map<string, Ends>): Promise<void> {
  for (const [kind, e] of ends)
    await conn.query('UPDATE fs_pending SET wait_for = ? WHERE wait_for IS NULL AND ref_kind = ?', [
      JSON.stringify(e),
      kind,
    ]);
}

/** Whether the consumer has read, on every partition, up to the offsets the row waits for. */
const caughtUp = (waitFor: string, read: Map<number, PartitionProgress> | undefined) =>
  read !== undefined &&
  Object.entries(JSON.parse(waitFor) as Ends).every(
    ([p, end]) => (read.get(Number(p))?.committed ?? -1n) >= BigInt(end),
  );

/**
 * Dead-letters events whose reference is still missing, measured against the consumer's
 * progress rather than wall time alone: a row is due when `graceMs` have passed AND the
 * consumer has read everything the delivering topic held when the row was first swept. So a
 * consumer that is behind (after an outage, a replay, a slow partition) never dead-letters an
 * event whose reference is still waiting in its lag. Rows are claimed with SKIP LOCKED so
 * several instances never send the same one; they are deleted only after `send` has returned,
 * in the same transaction that claimed them.
 */
export async function sweepPending(
  pool: Pool,
  opts: SweepOptions,
  send: (rejections: Rejection[]) => Promise<void>,
  limit = 500,
): Promise<number> {
  const [k] = await pool.query('SELECT DISTINCT ref_kind FROM fs_pending');
  const kinds = (k as { ref_kind: PendingRef['kind'] }[]).map((r) => r.ref_kind);
  if (!kinds.length) return 0;
  // Kafka is read before the transaction, so no row lock waits on the broker.
  const progress = new Map<PendingRef['kind'], Map<number, PartitionProgress>>();
  for (const kind of kinds) progress.set(kind, await opts.progress.read(opts.topics[kind]));
  const ends = new Map(
    [...progress].map(([kind, m]) => [kind, Object.fromEntries([...m].map(([p, v]) => [p, String(v.end)]))]),
  );
  return inTransaction(pool, async (conn) => {
    await stampWaits(conn, ends);
    // Only what is still dangling: a row whose reference has arrived is settleArrived's to finish.
    const candidates = await rows<PendingRowDb>(
      conn,
      `SELECT p.* FROM fs_pending p
      WHERE p.first_seen < NOW(3) - INTERVAL ? MICROSECOND AND p.wait_for IS NOT NULL
        AND NOT (p.ref_kind = 'user' AND EXISTS (SELECT 1 FROM fs_users u WHERE u.user_id = p.ref_id))
        AND NOT (p.ref_kind = 'order' AND EXISTS (SELECT 1 FROM fs_orders o WHERE o.order_id = p.ref_id))
        AND NOT (p.ref_kind = 'product' AND EXISTS (SELECT 1 FROM fs_product_versions v WHERE v.product_id = p.ref_id))
      ORDER BY p.id LIMIT ? FOR UPDATE SKIP LOCKED`,
      [opts.graceMs * 1000, limit],
    );
    const due = candidates.filter((r) => caughtUp(r.wait_for!, progress.get(r.ref_kind)));
    if (!due.length) return 0;
    await send(
      due.map((r) => ({
        msg: toInbound(r),
        reason: `unknown ${r.ref_kind} ${r.ref_id} (still missing ${Math.round(opts.graceMs / 1000)} s after the event arrived, with ${opts.topics[r.ref_kind]} read past where it ended then)`,
        errorClass: 'NotFoundError',
      })),
    );
    await conn.query('DELETE FROM fs_pending WHERE id IN (?)', [due.map((r) => r.id)]);
    return due.length;
  });
}

function toInbound(r: PendingRowDb): InboundMessage {
  return {
    topic: r.topic,
    partition: r.kafka_partition,
    offset: String(r.kafka_offset),
    key: r.msg_key,
    value: r.msg_value,
    headers: JSON.parse(r.msg_headers) as Record<string, string>,
  };
}

export async function pendingCount(pool: Pool): Promise<number> {
  const [r] = await pool.query('SELECT COUNT(*) AS n FROM fs_pending');
  return Number((r as { n: number }[])[0]!.n);
}
