import type { Pool } from '../../prisma/db/pool.ts';
import { decodeFromTopic } from '../../streams/cdc/decode.ts';
import type { CdcTopics } from '../../streams/cdc/topics.ts';
import type { TopicDef } from '../../streams/topic.ts';
import type { z } from 'zod';
import type { CategoryRow, OrderItemRow, OrderRow, ProductRow, UserRow } from '../../streams/cdc/tables.ts';
import { FatalError, ValidationError } from '../../core/errors.ts';
import { errorKind, errorSignature } from '../../core/error-kind.ts';
import type { UserFeatures } from '../../streams/features/user-features.ts';
import { applyCategories, applyOrderItems, applyOrders, applyProducts, applyUsers } from './base-state.ts';
import type { Rejection } from '../shared/dlq.ts';
import { emptyEffects, type Decoded, type InboundMessage } from './inbound.ts';
import { recordPending } from './pending.ts';
import { deleteUserFeatures, recomputeUsers } from './recompute.ts';
import { queueRecompute } from './recompute-queue.ts';
import { checkOrder, checkOrderItem, checkProduct, DEFAULT_LIMITS, type Limits } from './validate.ts';
import type { Conn } from './sql.ts';
import type { PositionWatch } from './position-watch.ts';
import { inTransaction } from '../../prisma/db/transaction.ts';

export interface BatchDeps {
  pool: Pool;
  topics: CdcTopics;
  numCategories: number;
  modelIndexOf: (categoryName: string) => number;
  limits?: Limits;
  now?: () => Date;
  /** Replays may skip recomputation and do it once at the end. */
  recompute?: boolean;
  /**
   * Queue the touched shoppers (recompute-queue.ts) instead of recomputing them in the chunk's
   * transaction: the live consumer then recomputes each shopper once for all the topics and chunks
   * that touched them meanwhile.
   */
  queueRecompute?: boolean;
  /**
   * With queueRecompute: how long a shopper touched only by new orders may wait for their lines
   * before being recomputed anyway (0: at once). See fs_recompute's due_at.
   */
  awaitLinesMs?: number;
  /** Replays skip pending bookkeeping: nothing is dead-lettered, and the final pass settles categories. */
  trackPending?: boolean;
  /** Queue every feature change for publishing, in the same transaction (see outbox.ts). */
  outbox?: boolean;
  /** Sees every decoded change's source position, in offset order (see position-watch.ts). */
  watch?: PositionWatch;
}

export interface BatchOutcome {
  applied: number;
  features: UserFeatures[];
  deletedUsers: number[];
  /** Shoppers queued for recomputation (with `queueRecompute`). */
  queued: number;
  /** Of those, how many wait up to `awaitLinesMs` for their new orders' lines. */
  deferred: number;
  rejected: Rejection[];
}

interface Sorted {
  users: Decoded<UserRow>[];
  categories: Decoded<CategoryRow>[];
  products: Decoded<ProductRow>[];
  orders: Decoded<OrderRow>[];
  items: Decoded<OrderItemRow>[];
  rejected: Rejection[];
}

const reject = (msg: InboundMessage, err: Error): Rejection => ({ msg, reason: err.message, errorClass: err.name });

/** Decodes and checks every message; bad ones become rejections with their reason, never exceptions. */
export function sortMessages(msgs: InboundMessage[], deps: BatchDeps): Sorted {
  const t = deps.topics;
  const now = (deps.now ?? (() => new Date()))();
  const limits = deps.limits ?? DEFAULT_LIMITS;
  const out: Sorted = { users: [], categories: [], products: [], orders: [], items: [], rejected: [] };
  const routes = new Map<string, { key: keyof Omit<Sorted, 'rejected'>; topic: TopicDef<z.ZodType> }>([
    [t.users.name, { key: 'users', topic: t.users }],
    [t.categories.name, { key: 'categories', topic: t.categories }],
    [t.products.name, { key: 'products', topic: t.products }],
    [t.orders.name, { key: 'orders', topic: t.orders }],
    [t.orderItems.name, { key: 'items', topic: t.orderItems }],
  ]);
  for (const msg of msgs) {
    const route = routes.get(msg.topic);
    if (!route) {
      out.rejected.push(reject(msg, new ValidationError(`no decoder for topic ${msg.topic}`)));
      continue;
    }
    const r = decodeFromTopic(route.topic, msg);
    if (!r.ok) {
      out.rejected.push(reject(msg, r.error));
      continue;
    }
    const e = r.event;
    if (e.kind !== 'tombstone') deps.watch?.(msg, e.source);
    const row = e.kind === 'create' || e.kind === 'read' || e.kind === 'update' ? e.after : null;
    const problem =
      row === null
        ? null
        : route.key === 'items'
          ? checkOrderItem(row as OrderItemRow, limits)
          : route.key === 'orders'
            ? checkOrder(row as OrderRow, now, limits)
            : route.key === 'products'
              ? checkProduct(row as ProductRow, limits)
              : null;
    if (problem) {
      out.rejected.push(reject(msg, problem));
      continue;
    }
    (out[route.key] as Decoded<unknown>[]).push({ msg, event: e as Decoded<unknown>['event'] });
  }
  return out;
}

async function applySorted(conn: Conn, s: Sorted, deps: BatchDeps): Promise<Omit<BatchOutcome, 'rejected'>> {
  const fx = emptyEffects(deps.recompute !== false || deps.trackPending !== false);
  await applyUsers(conn, s.users, fx);
  await applyCategories(conn, s.categories, deps.modelIndexOf);
  await applyProducts(conn, s.products, fx);
  await applyOrders(conn, s.orders, fx);
  await applyOrderItems(conn, s.items, fx);
  // Pending rows are only ever settled by the sweep (settleArrived), which sees committed state:
  // deleting them here could drop the row of a concurrent batch that committed a moment ago.
  if (deps.trackPending !== false) await recordPending(conn, fx.pending);
  for (const u of fx.deletedUsers) fx.touchedUsers.delete(u);
  const outbox = { outbox: deps.outbox };
  const queue = deps.recompute !== false && deps.queueRecompute === true;
  const wait = queue ? (deps.awaitLinesMs ?? 0) : 0;
  const later = wait > 0 ? [...fx.touchedUsers].filter((u) => fx.awaitingLines.has(u)) : [];
  const now = later.length ? [...fx.touchedUsers].filter((u) => !fx.awaitingLines.has(u)) : fx.touchedUsers;
  const queued = queue ? (await queueRecompute(conn, now)) + (await queueRecompute(conn, later, wait)) : 0;
  const features =
    deps.recompute === false || queue ? [] : await recomputeUsers(conn, fx.touchedUsers, deps.numCategories, outbox);
  const deletedUsers = await deleteUserFeatures(conn, fx.deletedUsers, outbox);
  const applied = s.users.length + s.categories.length + s.products.length + s.orders.length + s.items.length;
  return { applied, features, deletedUsers, queued, deferred: later.length };
}

/**
 * The feature store's transactions: READ COMMITTED, see load-facts.ts for why. It is set as the
 * session default of the store's connections (once each), which the store's other transactions
 * share: the outbox drain and the pending sweep read with locks or in one statement, where
 * READ COMMITTED and REPEATABLE READ see the same rows.
 */
export const storeTransaction = <T>(pool: Pool, fn: (conn: Conn) => Promise<T>) =>
  inTransaction(pool, fn, { isolation: 'READ COMMITTED', sessionIsolation: true });

/** A chunk whose DB failures are mostly one error is hitting the store, not bad data. */
const MOST = 0.5;
const MIN_SAME_TO_STOP = 2;

const mergeInto = (into: BatchOutcome, one: BatchOutcome) => {
  into.applied += one.applied;
  into.features.push(...one.features);
  into.deletedUsers.push(...one.deletedUsers);
  into.queued += one.queued;
  into.deferred += one.deferred;
  into.rejected.push(...one.rejected);
};

/**
 * Re-applies a failed chunk one message at a time to pin a data error on its message. Any
 * other failure of a single message propagates. When most of the chunk fails with the same
 * error, the error is the store's (a trigger, a schema change), so it stops rather than
 * dead-letter good events.
 */
async function applyOneByOne(msgs: InboundMessage[], sorted: Sorted, deps: BatchDeps, first: unknown) {
  const outcome: BatchOutcome = {
    applied: 0,
    features: [],
    deletedUsers: [],
    queued: 0,
    deferred: 0,
    rejected: [...sorted.rejected],
  };
  const alreadyRejected = new Set(sorted.rejected.map((r) => r.msg));
  const bySignature = new Map<string, number>();
  let attempted = 0;
  for (const m of msgs) {
    if (alreadyRejected.has(m)) continue;
    attempted++;
    const one = await applyBatch([m], deps);
    for (const r of one.rejected) {
      const sig = r.signature ?? r.errorClass;
      bySignature.set(sig, (bySignature.get(sig) ?? 0) + 1);
    }
    mergeInto(outcome, one);
  }
  const [sig, count] = [...bySignature].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  if (count >= MIN_SAME_TO_STOP && count > attempted * MOST)
    throw new FatalError(
      `${count} of ${attempted} events in a chunk failed with ${sig}: stopping, not dead-lettering`,
      {
        cause: first,
      },
    );
  return outcome;
}

/**
 * Applies a batch in one transaction. A transient failure propagates (the caller retries the
 * whole batch; applying twice is harmless). A data error is pinned on its message by applying
 * them one at a time, so one bad event never holds back the good ones around it. Anything else
 * (read-only or full store, a dropped table, a revoked grant) is an infrastructure failure:
 * never dead-lettered, it stops the consumer without committing.
 */
export async function applyBatch(msgs: InboundMessage[], deps: BatchDeps): Promise<BatchOutcome> {
  const sorted = sortMessages(msgs, deps);
  try {
    return {
      ...(await storeTransaction(deps.pool, (conn) => applySorted(conn, sorted, deps))),
      rejected: sorted.rejected,
    };
  } catch (err) {
    const kind = errorKind(err);
    if (kind === 'transient') throw err;
    if (kind === 'fatal')
      throw new FatalError(`applying ${msgs.length} events from ${msgs[0]?.topic}: ${(err as Error).message}`, {
        cause: err,
      });
    if (msgs.length === 1)
      return {
        applied: 0,
        features: [],
        deletedUsers: [],
        queued: 0,
        deferred: 0,
        rejected: [{ ...reject(msgs[0]!, err as Error), signature: errorSignature(err) }],
      };
    return applyOneByOne(msgs, sorted, deps, err);
  }
}
