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
  const values = xs.map((d) => { const r = rowOf(d); return [r.id, r.gender, r.region, r.tenureMonths, deleted(d), pos(d), ts(d)]; });
  await conn.query(`INSERT INTO fs_users (user_id, gender, region, tenure_months, deleted, src_pos, src_ts) VALUES ?
    ON DUPLICATE KEY UPDATE ${guardedUpdate(['gender', 'region', 'tenure_months', 'deleted', 'src_ts'])}`, [values]);
  const ids = [...new Set(xs.map((d) => rowOf(d).id))];
  const state = await inChunks(ids, 1000, (c) => rows<{ user_id: number; deleted: number }>(conn,
    'SELECT user_id, deleted FROM fs_users WHERE user_id IN (?)', [c]));
  for (const s of state) (s.deleted ? fx.deletedUsers : fx.touchedUsers).add(s.user_id);
  fx.resolved.push({ kind: 'user', ids: state.filter((s) => !s.deleted).map((s) => s.user_id) });
}

export async function applyCategories(conn: Conn, events: Decoded<CategoryRow>[], modelIndexOf: (name: string) => number): Promise<void> {
  const xs = live(events).filter((d) => d.event.kind !== 'delete');
  if (!xs.length) return;
  const values = xs.map((d) => { const r = rowOf(d); return [r.id, r.name, modelIndexOf(r.name), pos(d)]; });
  await conn.query(`INSERT INTO fs_categories (category_id, name, model_index, src_pos) VALUES ?
    ON DUPLICATE KEY UPDATE ${guardedUpdate(['name', 'model_index'])}`, [values]);
}

/** A new product may complete lines that arrived before it; a changed category affects only later lines. */
export async function applyProducts(conn: Conn, events: Decoded<ProductRow>[], fx: ApplyEffects): Promise<void> {
  const xs = live(events);
  if (!xs.length) return;
  const values = xs.map((d) => { const r = rowOf(d); return [r.id, r.categoryId, r.price, deleted(d), pos(d)]; });
  await conn.query(`INSERT INTO fs_products (product_id, category_id, price, deleted, src_pos) VALUES ?
    ON DUPLICATE KEY UPDATE ${guardedUpdate(['category_id', 'price', 'deleted'])}`, [values]);
  const ids = [...new Set(xs.filter((d) => d.event.kind !== 'delete').map((d) => rowOf(d).id))];
  if (!ids.length) return;
  const waiting = await inChunks(ids, 1000, (c) => rows<{ user_id: number }>(conn, `SELECT DISTINCT o.user_id FROM fs_order_items i
    JOIN fs_orders o ON o.order_id = i.order_id WHERE i.product_id IN (?) AND i.category_id IS NULL`, [c]));
  if (waiting.length) {
    await inChunks(ids, 1000, async (c) => [await conn.query(`UPDATE fs_order_items i JOIN fs_products p ON p.product_id = i.product_id
      SET i.category_id = p.category_id WHERE i.product_id IN (?) AND i.category_id IS NULL`, [c])]);
    for (const w of waiting) fx.touchedUsers.add(w.user_id);
  }
  fx.resolved.push({ kind: 'product', ids });
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
    return [r.id, r.userId, r.status, statusChangedAt(d), r.couponStatus, r.deliveryCharge, r.placedAt, deleted(d), pos(d), ts(d)];
  });
  const keepChangeTime = `IF(VALUES(src_pos) >= src_pos, IF(VALUES(status) IN ('placed', 'paid'), NULL,
    IF(VALUES(status) = status AND status_changed_at IS NOT NULL, status_changed_at, VALUES(status_changed_at))), status_changed_at)`;
  await conn.query(`INSERT INTO fs_orders (order_id, user_id, status, status_changed_at, coupon_status, delivery_charge,
      placed_at, deleted, src_pos, src_ts) VALUES ?
    ON DUPLICATE KEY UPDATE ${guardedUpdate(['status_changed_at', 'user_id', 'status', 'coupon_status', 'delivery_charge',
      'placed_at', 'deleted', 'src_ts'], { status_changed_at: keepChangeTime })}`, [values]);
  for (const d of xs) {
    fx.touchedUsers.add(rowOf(d).userId);
    if (d.event.kind === 'update' && d.event.before) fx.touchedUsers.add(d.event.before.userId);
  }
  fx.resolved.push({ kind: 'order', ids: [...new Set(xs.map((d) => rowOf(d).id))] });
  const wanted = [...new Set(xs.filter((d) => d.event.kind !== 'delete').map((d) => rowOf(d).userId))];
  const known = new Set((await inChunks(wanted, 1000, (c) => rows<{ user_id: number }>(conn,
    'SELECT user_id FROM fs_users WHERE deleted = 0 AND user_id IN (?)', [c]))).map((r) => r.user_id));
  for (const d of xs) {
    const r = rowOf(d);
    if (d.event.kind !== 'delete' && !known.has(r.userId)) fx.pending.push({ kind: 'user', id: r.userId, msg: d.msg });
  }
}

export async function applyOrderItems(conn: Conn, events: Decoded<OrderItemRow>[], fx: ApplyEffects): Promise<void> {
  const xs = live(events);
  if (!xs.length) return;
  const productIds = [...new Set(xs.map((d) => rowOf(d).productId))];
  const categoryOf = new Map((await inChunks(productIds, 1000, (c) => rows<{ product_id: number; category_id: number }>(conn,
    'SELECT product_id, category_id FROM fs_products WHERE deleted = 0 AND product_id IN (?)', [c]))).map((r) => [r.product_id, r.category_id]));
  const values = xs.map((d) => {
    const r = rowOf(d);
    return [r.id, r.orderId, r.productId, categoryOf.get(r.productId) ?? null, r.quantity, r.unitPrice, deleted(d), pos(d), ts(d)];
  });
  const pinCategory = `IF(VALUES(src_pos) >= src_pos,
    IF(VALUES(product_id) = product_id AND category_id IS NOT NULL, category_id, VALUES(category_id)), category_id)`;
  await conn.query(`INSERT INTO fs_order_items (item_id, order_id, product_id, category_id, quantity, unit_price,
      deleted, src_pos, src_ts) VALUES ?
    ON DUPLICATE KEY UPDATE ${guardedUpdate(['category_id', 'order_id', 'product_id', 'quantity', 'unit_price', 'deleted', 'src_ts'],
      { category_id: pinCategory })}`, [values]);
  const orderIds = [...new Set(xs.map((d) => rowOf(d).orderId))];
  const userOf = new Map((await inChunks(orderIds, 1000, (c) => rows<{ order_id: number; user_id: number }>(conn,
    'SELECT order_id, user_id FROM fs_orders WHERE order_id IN (?)', [c]))).map((r) => [Number(r.order_id), r.user_id]));
  for (const d of xs) {
    const r = rowOf(d);
    const user = userOf.get(r.orderId);
    if (user !== undefined) fx.touchedUsers.add(user);
    if (d.event.kind === 'delete') continue;
    if (user === undefined) fx.pending.push({ kind: 'order', id: r.orderId, msg: d.msg });
    if (!categoryOf.has(r.productId)) fx.pending.push({ kind: 'product', id: r.productId, msg: d.msg });
  }
}
