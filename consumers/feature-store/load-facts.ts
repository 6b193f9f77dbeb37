import type { OrderFacts, ProfileFacts } from '../../features/compute-features.ts';
import { inChunks, rows, type Conn } from './sql.ts';

export interface UserFacts {
  userId: number;
  profile: ProfileFacts;
  orders: OrderFacts[];
  /** Latest commit time among the rows these facts were built from. */
  sourceTs: Date;
  /** Latest business time among them (placed_at, status change), never earlier than sourceTs. */
  asOf: Date;
}

interface UserRowDb {
  user_id: number;
  gender: 'F' | 'M';
  region: string;
  tenure_months: number;
  src_ts: Date;
}
interface OrderRowDb {
  order_id: string;
  user_id: number;
  status: OrderFacts['status'];
  status_changed_at: Date | null;
  coupon_status: OrderFacts['couponStatus'];
  delivery_charge: string;
  placed_at: Date;
  src_ts: Date;
}
interface ItemRowDb {
  order_id: string;
  quantity: number;
  unit_price: string;
  model_index: number;
  src_ts: Date;
}

/**
 * Loads the base state of these shoppers. With `lock`, their fs_users rows are locked first
 * (in id order, so two instances never deadlock on each other), which serialises recomputes of one
 * shopper across instances; READ COMMITTED then shows every change committed before the lock.
 */
export async function loadUserFacts(conn: Conn, userIds: number[], opts: { lock: boolean }): Promise<UserFacts[]> {
  const ids = [...new Set(userIds)].sort((a, b) => a - b);
  return inChunks(ids, 500, async (chunk) => {
    const users = await rows<UserRowDb>(
      conn,
      `SELECT user_id, gender, region, tenure_months, src_ts FROM fs_users
      WHERE user_id IN (?) AND deleted = 0 ORDER BY user_id ${opts.lock ? 'FOR UPDATE' : ''}`,
      [chunk],
    );
    if (!users.length) return [];
    // Orders and their lines in one round trip: an order without lines comes once, with a NULL line.
    // A deleted line of a live order comes too: it counts for nothing but its commit time.
    const joined = await rows<
      OrderRowDb & { item_order_id: string | null; item_deleted: number | null } & Omit<
          ItemRowDb,
          'order_id' | 'src_ts'
        > & {
          item_src_ts: Date | null;
        }
    >(
      conn,
      `SELECT o.order_id, o.user_id, o.status, o.status_changed_at, o.coupon_status, o.delivery_charge, o.placed_at,
        o.src_ts, i.order_id AS item_order_id, i.deleted AS item_deleted, i.quantity, i.unit_price,
        i.src_ts AS item_src_ts, COALESCE(c.model_index, -1) AS model_index
      FROM fs_orders o LEFT JOIN fs_order_items i ON i.order_id = o.order_id
      LEFT JOIN fs_categories c ON c.category_id = i.category_id
      WHERE o.user_id IN (?) AND o.deleted = 0 ORDER BY i.item_id`,
      [users.map((u) => u.user_id)],
    );
    // Deleted orders only by their newest commit time, from the index alone: they pile up (the
    // freshness bench deletes its own), and their lines went with them.
    const removed = await rows<{ user_id: number; src_ts: Date }>(
      conn,
      `SELECT user_id, MAX(src_ts) AS src_ts FROM fs_orders WHERE user_id IN (?) AND deleted = 1 GROUP BY user_id`,
      [users.map((u) => u.user_id)],
    );
    const orders = new Map<string, OrderRowDb>();
    const items: ItemRowDb[] = [];
    for (const j of joined) {
      orders.set(String(j.order_id), j);
      if (j.item_order_id === null) continue;
      if (j.item_deleted) removed.push({ user_id: j.user_id, src_ts: j.item_src_ts! });
      else
        items.push({
          order_id: j.item_order_id,
          quantity: j.quantity,
          unit_price: j.unit_price,
          model_index: j.model_index,
          src_ts: j.item_src_ts!,
        });
    }
    return assemble(users, [...orders.values()], items, removed);
  });
}

/**
 * `removed`: the commit times of the shoppers' deleted orders, and of deleted lines of their live
 * orders (a deleted order's lines are not looked at: they went with it). A deletion is a change
 * like any other: the features after it carry its time, or they would look older than the ones
 * before it, and the recommendation made from them would lose to the stale one (newest wins).
 */
function assemble(
  users: UserRowDb[],
  orders: OrderRowDb[],
  items: ItemRowDb[],
  removed: { user_id: number; src_ts: Date }[],
): UserFacts[] {
  const byUser = new Map<number, UserFacts>(
    users.map((u) => [
      u.user_id,
      {
        userId: u.user_id,
        profile: { gender: u.gender, region: u.region, tenureMonths: u.tenure_months },
        orders: [],
        sourceTs: u.src_ts,
        asOf: u.src_ts,
      },
    ]),
  );
  const byOrder = new Map<string, { facts: OrderFacts; user: UserFacts }>();
  const later = (a: Date, b: Date | null) => (b && b.getTime() > a.getTime() ? b : a);
  for (const o of orders) {
    const user = byUser.get(o.user_id)!;
    const facts: OrderFacts = {
      orderId: Number(o.order_id),
      placedAt: o.placed_at,
      status: o.status,
      statusChangedAt: o.status_changed_at,
      couponStatus: o.coupon_status,
      deliveryCharge: Number(o.delivery_charge),
      lines: [],
    };
    user.orders.push(facts);
    byOrder.set(String(o.order_id), { facts, user });
    user.sourceTs = later(user.sourceTs, o.src_ts);
    user.asOf = later(later(later(user.asOf, o.src_ts), o.placed_at), o.status_changed_at);
  }
  for (const i of items) {
    const o = byOrder.get(String(i.order_id));
    if (!o) continue;
    o.facts.lines.push({ category: Number(i.model_index), quantity: i.quantity, unitPrice: Number(i.unit_price) });
    o.user.sourceTs = later(o.user.sourceTs, i.src_ts);
    o.user.asOf = later(o.user.asOf, i.src_ts);
  }
  for (const r of removed) {
    const user = byUser.get(r.user_id);
    if (!user) continue;
    user.sourceTs = later(user.sourceTs, r.src_ts);
    user.asOf = later(user.asOf, r.src_ts);
  }
  return [...byUser.values()];
}
