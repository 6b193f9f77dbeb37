import type { CategoryRow, OrderItemRow, OrderRow, ProductRow, UserRow } from '../../streams/cdc/tables.ts';
import type { ApplyEffects, Decoded } from './inbound.ts';
import { positionKey } from './position.ts';
import { guardedUpdate, inChunks, rows, type Conn } from './sql.ts';

type Live<R> = Decoded<R> & { event: { kind: 'create' | 'read' | 'update' | 'delete' } };
const live = <R>(xs: Decoded<R>[]) => xs.filter((d): d is Live<R> => d.event.kind !== 'tombstone');
const rowOf = <R>(d: Live<R>): R => (d.event.kind === 'delete' ? d.event.before : d.event.after);
const deleted = (d: Live<unknown>) => (d.event.kind === 'delete' ? 1 : 0);
const pos = (d: Live<unknown>) => positionKey(d.event.source);
const ts = (d: Live<unknown>) => d.event.source.ts;

export async function applyUsers(conn: Conn, events: Decoded<UserRow>[], fx: ApplyEffects): Promise<void> {
  const xs = live(events);
  if (!xs.length) return;
  const values = xs.map((d) => {
    const r = rowOf(d);
    return [r.id, r.gender, r.region, r.tenureMonths, deleted(d), pos(d), ts(d)];
  });
  await conn.query(
    `INSERT INTO fs_users (user_id, gender, region, tenure_months, deleted, src_pos, src_ts) VALUES ?
    ON DUPLICATE KEY UPDATE ${guardedUpdate(['gender', 'region', 'tenure_months', 'deleted', 'src_ts'])}`,
    [values],
  );
  const ids = [...new Set(xs.map((d) => rowOf(d).id))];
  const state = await inChunks(ids, 1000, (c) =>
    rows<{ user_id: number; deleted: number }>(conn, 'SELECT user_id, deleted FROM fs_users WHERE user_id IN (?)', [c]),
  );
  for (const s of state) (s.deleted ? fx.deletedUsers : fx.touchedUsers).add(s.user_id);
}

export async function applyCategories(
  conn: Conn,
  events: Decoded<CategoryRow>[],
  modelIndexOf: (name: string) => number,
): Promise<void> {
  const xs = live(events).filter((d) => d.event.kind !== 'delete');
  if (!xs.length) return;
  const values = xs.map((d) => {
    const r = rowOf(d);
    return [r.id, r.name, modelIndexOf(r.name), pos(d)];
  });
  await conn.query(
    `INSERT INTO fs_categories (category_id, name, model_index, src_pos) VALUES ?
    ON DUPLICATE KEY UPDATE ${guardedUpdate(['name', 'model_index'])}`,
    [values],
  );
}

type Versions = Map<number, { pos: string; category: number }[]>;

/** Each product's categories by position, ascending. */
async function productVersions(conn: Conn, productIds: number[]): Promise<Versions> {
  const out: Versions = new Map();
  const vs = await inChunks(productIds, 1000, (c) =>
    rows<{ product_id: number; src_pos: string; category_id: number }>(
      conn,
      'SELECT product_id, src_pos, category_id FROM fs_product_versions WHERE product_id IN (?) ORDER BY product_id, src_pos',
      [c],
    ),
  );
  for (const v of vs)
    out.set(v.product_id, [...(out.get(v.product_id) ?? []), { pos: v.src_pos, category: v.category_id }]);
  return out;
}

/** The category in force at a line's position; the earliest known one if the line predates them all. */
export function categoryAt(versions: { pos: string; category: number }[] | undefined, linePos: string): number | null {
  if (!versions?.length) return null;
  let found = versions[0]!.category;
  for (const v of versions) {
    if (v.pos > linePos) break;
    found = v.category;
  }
  return found;
}

interface LineDb {
  item_id: string;
  product_id: number;
  src_pos: string;
  category_id: number | null;
  user_id: number | null;
}

/**
 * Re-derives the category of the lines whose `where` column is in `ids` (narrowed by `opts`) from
 * the product versions, and returns the shoppers whose lines changed category.
 */
export async function resolveLineCategories(
  conn: Conn,
  where: 'item_id' | 'product_id',
  ids: number[],
  opts: { fromPos?: string; onlyNull?: boolean } = {},
): Promise<number[]> {
  return inChunks(ids, 1000, async (chunk) => {
    const filter = opts.onlyNull
      ? 'AND i.category_id IS NULL'
      : opts.fromPos
        ? 'AND (i.category_id IS NULL OR i.src_pos >= ?)'
        : '';
    const lines = await rows<LineDb>(
      conn,
      `SELECT i.item_id, i.product_id, i.src_pos, i.category_id, o.user_id
      FROM fs_order_items i LEFT JOIN fs_orders o ON o.order_id = i.order_id WHERE i.${where} IN (?) ${filter}`,
      opts.fromPos && !opts.onlyNull ? [chunk, opts.fromPos] : [chunk],
    );
    const versions = await productVersions(conn, [...new Set(lines.map((l) => l.product_id))]);
    const changed = lines
      .map((l) => ({ ...l, cat: categoryAt(versions.get(l.product_id), l.src_pos) }))
      .filter((l) => l.cat !== l.category_id);
    if (!changed.length) return [];
    // A multi-row update: every row exists, so only category_id is touched; the other values are placeholders.
    await conn.query(
      `INSERT INTO fs_order_items (item_id, category_id, order_id, product_id, quantity, unit_price, src_pos, src_ts)
      VALUES ? ON DUPLICATE KEY UPDATE category_id = VALUES(category_id)`,
      [changed.map((c) => [c.item_id, c.cat, 0, 0, 0, 0, '', new Date(0)])],
    );
    return changed.flatMap((c) => (c.user_id === null ? [] : [c.user_id]));
  });
}

/** A product's new category reaches only lines at later positions (and lines that waited for it). */
export async function applyProducts(conn: Conn, events: Decoded<ProductRow>[], fx: ApplyEffects): Promise<void> {
  const xs = live(events);
  if (!xs.length) return;
  // In id order, the same order the line side locks them in, so the two never deadlock.
  const values = xs
    .map((d) => {
      const r = rowOf(d);
      return [r.id, r.categoryId, r.price, deleted(d), pos(d)];
    })
    .sort((a, b) => (a[0] as number) - (b[0] as number));
  await conn.query(
    `INSERT INTO fs_products (product_id, category_id, price, deleted, src_pos) VALUES ?
    ON DUPLICATE KEY UPDATE ${guardedUpdate(['category_id', 'price', 'deleted'])}`,
    [values],
  );
  const versions = xs.filter((d) => d.event.kind !== 'delete').map((d) => [rowOf(d).id, pos(d), rowOf(d).categoryId]);
  if (!versions.length) return;
  await conn.query('INSERT IGNORE INTO fs_product_versions (product_id, src_pos, category_id) VALUES ?', [versions]);
  const ids = [...new Set(versions.map((v) => v[0] as number))];
  const fromPos = versions.map((v) => v[1] as string).sort()[0]!;
  for (const u of await resolveLineCategories(conn, 'product_id', ids, { fromPos })) fx.touchedUsers.add(u);
}

// A cancellation's time is when the row was last updated (snapshots carry no event time for it).
const statusChangedAt = (d: Live<OrderRow>) => {
  const r = rowOf(d);
  return r.status === 'placed' || r.status === 'paid' ? null : (r.updatedAt ?? ts(d));
};

export async function applyOrders(conn: Conn, events: Decoded<OrderRow>[], fx: ApplyEffects): Promise<void> {
  const xs = live(events);
  if (!xs.length) return;
  const values = xs.map((d) => {
    const r = rowOf(d);
    return [
      r.id,
      r.userId,
      r.status,
      statusChangedAt(d),
      r.couponStatus,
      r.deliveryCharge,
      r.placedAt,
      deleted(d),
      pos(d),
      ts(d),
    ];
  });
  const keepChangeTime = `IF(VALUES(src_pos) >= src_pos, IF(VALUES(status) IN ('placed', 'paid'), NULL,
    IF(VALUES(status) = status AND status_changed_at IS NOT NULL, status_changed_at, VALUES(status_changed_at))), status_changed_at)`;
  await conn.query(
    `INSERT INTO fs_orders (order_id, user_id, status, status_changed_at, coupon_status, delivery_charge,
      placed_at, deleted, src_pos, src_ts) VALUES ?
    ON DUPLICATE KEY UPDATE ${guardedUpdate(
      ['status_changed_at', 'user_id', 'status', 'coupon_status', 'delivery_charge', 'placed_at', 'deleted', 'src_ts'],
      { status_changed_at: keepChangeTime },
    )}`,
    [values],
  );
  // Shoppers touched only by new orders here, and by nothing before in this batch, await lines.
  const created = new Set<number>();
  const otherwise = new Set(fx.touchedUsers);
  for (const d of xs) {
    const user = rowOf(d).userId;
    fx.touchedUsers.add(user);
    (d.event.kind === 'create' ? created : otherwise).add(user);
    if (d.event.kind === 'update' && d.event.before) {
      fx.touchedUsers.add(d.event.before.userId);
      otherwise.add(d.event.before.userId);
    }
  }
  for (const u of created) if (!otherwise.has(u)) fx.awaitingLines.add(u);
  if (!fx.track) return;
  await takeArrivedLines(conn, xs, fx);
  const wanted = [...new Set(xs.filter((d) => d.event.kind !== 'delete').map((d) => rowOf(d).userId))];
  const known = new Set(
    (
      await inChunks(wanted, 1000, (c) =>
        rows<{ user_id: number }>(
          conn,
          // A deleted shopper is not unknown: a redelivered order of theirs must not be dead-lettered.
          'SELECT user_id FROM fs_users WHERE user_id IN (?)',
          [c],
        ),
      )
    ).map((r) => r.user_id),
  );
  for (const d of xs) {
    const r = rowOf(d);
    if (d.event.kind !== 'delete' && !known.has(r.userId)) fx.pending.push({ kind: 'user', id: r.userId, msg: d.msg });
  }
}

/**
 * New orders whose lines a chunk of the other topic has already applied (and committed): their
 * shoppers wait for nothing, and the lines' pending rows (which waited for the order to learn its
 * shopper) are settled here, in the order's own transaction, instead of by a settle after it.
 */
async function takeArrivedLines(conn: Conn, xs: Live<OrderRow>[], fx: ApplyEffects): Promise<void> {
  const created = xs.filter((d) => d.event.kind === 'create');
  if (!created.length) return;
  const ids = [...new Set(created.map((d) => rowOf(d).id))];
  const arrived = new Set(
    (
      await inChunks(ids, 1000, (c) =>
        rows<{ order_id: string }>(conn, 'SELECT DISTINCT order_id FROM fs_order_items WHERE order_id IN (?)', [c]),
      )
    ).map((r) => Number(r.order_id)),
  );
  if (!arrived.size) return;
  for (const d of created) if (arrived.has(rowOf(d).id)) fx.awaitingLines.delete(rowOf(d).userId);
  await conn.query("DELETE FROM fs_pending WHERE ref_kind = 'order' AND ref_id IN (?)", [[...arrived]]);
}

export async function applyOrderItems(conn: Conn, events: Decoded<OrderItemRow>[], fx: ApplyEffects): Promise<void> {
  const xs = live(events);
  if (!xs.length) return;
  const productIds = [...new Set(xs.map((d) => rowOf(d).productId))].sort((a, b) => a - b);
  // Share-lock the products as their versions are read, in one statement: a concurrent product
  // change (which holds its product row until it commits) either finishes before we read its
  // versions, or waits and then re-resolves our lines. The locking read sees the latest commits.
  const versions: Versions = new Map();
  const vs = await inChunks(productIds, 1000, (c) =>
    rows<{ product_id: number; src_pos: string | null; category_id: number | null }>(
      conn,
      `SELECT p.product_id, v.src_pos, v.category_id FROM fs_products p
      LEFT JOIN fs_product_versions v ON v.product_id = p.product_id
      WHERE p.product_id IN (?) ORDER BY p.product_id, v.src_pos LOCK IN SHARE MODE`,
      [c],
    ),
  );
  for (const v of vs)
    if (v.src_pos !== null)
      versions.set(v.product_id, [...(versions.get(v.product_id) ?? []), { pos: v.src_pos, category: v.category_id! }]);
  const uncategorised = new Set<number>();
  const values = xs.map((d) => {
    const r = rowOf(d);
    const category = categoryAt(versions.get(r.productId), pos(d));
    if (category === null) uncategorised.add(r.id);
    return [r.id, r.orderId, r.productId, category, r.quantity, r.unitPrice, deleted(d), pos(d), ts(d)];
  });
  // Whatever is still without a category waits for its product, even if the product committed a
  // moment ago: the pending row is what lets the sweep finish the job (see settleArrived).
  const keepKnown =
    'IF(VALUES(src_pos) >= src_pos, COALESCE(VALUES(category_id), IF(VALUES(product_id) = product_id, category_id, NULL)), category_id)';
  await conn.query(
    `INSERT INTO fs_order_items (item_id, order_id, product_id, category_id, quantity, unit_price, deleted, src_pos, src_ts)
    VALUES ? ON DUPLICATE KEY UPDATE ${guardedUpdate(
      ['category_id', 'order_id', 'product_id', 'quantity', 'unit_price', 'deleted', 'src_ts'],
      { category_id: keepKnown },
    )}`,
    [values],
  );
  if (!fx.track) return;
  const orderIds = [...new Set(xs.map((d) => rowOf(d).orderId))];
  const userOf = new Map(
    (
      await inChunks(orderIds, 1000, (c) =>
        rows<{ order_id: number; user_id: number }>(
          conn,
          // Locking: an order that a concurrent chunk (the orders topic) has inserted but not yet
          // committed is waited for and then seen, instead of leaving its lines pending until
          // the next settle. Only this side waits, so the two chunks cannot deadlock on it.
          'SELECT order_id, user_id FROM fs_orders WHERE order_id IN (?) LOCK IN SHARE MODE',
          [c],
        ),
      )
    ).map((r) => [Number(r.order_id), r.user_id]),
  );
  for (const d of xs) {
    const r = rowOf(d);
    const user = userOf.get(r.orderId);
    if (user !== undefined) {
      fx.touchedUsers.add(user);
      fx.awaitingLines.delete(user);
    }
    if (d.event.kind === 'delete') continue;
    if (user === undefined) fx.pending.push({ kind: 'order', id: r.orderId, msg: d.msg });
    if (uncategorised.has(r.id)) fx.pending.push({ kind: 'product', id: r.productId, msg: d.msg });
  }
}
