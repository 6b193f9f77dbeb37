import type { CategoryRow, OrderItemRow, OrderRow, ProductRow, UserRow } from '../../streams/cdc/tables.ts';
import type { Decoded } from './inbound.ts';
import type { SourcePosition } from '../../streams/cdc/envelope.ts';
import { IdTable } from './id-table.ts';
import { Positions } from './positions.ts';

/**
 * The base state of a fresh replay, held in memory. Each apply mirrors the guarded upsert of
 * base-state.ts for the same table ("newer wins": an event at a position >= the row's replaces
 * it, so a tie goes to the later one, as `IF(VALUES(src_pos) >= src_pos, ...)` does), so the
 * tables written at the end equal what applying the same events one chunk at a time gives.
 * Shoppers, orders and lines (the tables that grow with the shop) are typed-array columns
 * (id-table.ts); times are epoch ms, null is NaN, enums index the lists below.
 */
export interface CategoryState {
  pos: string;
  name: string;
  modelIndex: number;
}
export interface ProductState {
  pos: string;
  categoryId: number;
  price: number;
  deleted: boolean;
}

export const GENDERS = ['F', 'M'] as const;
export const STATUSES = ['placed', 'paid', 'cancelled', 'refunded'] as const;
export const COUPONS = [null, 'clicked', 'used', 'not_used'] as const;

const POS = { file: 'i32', pos: 'f64', row: 'i32' } as const;
const userTable = () =>
  new IdTable({ ...POS, ts: 'f64', gender: 'u8', region: 'i32', tenureMonths: 'i32', deleted: 'u8' });
const orderTable = () =>
  new IdTable({
    ...POS,
    ts: 'f64',
    // INT columns in the shop (prisma/schema.prisma), so 32 bits hold them exactly.
    userId: 'i32',
    status: 'u8',
    statusChangedAt: 'f64',
    coupon: 'u8',
    deliveryCharge: 'f64',
    placedAt: 'f64',
    deleted: 'u8',
  });
const itemTable = () =>
  new IdTable({
    ...POS,
    ts: 'f64',
    orderId: 'f64',
    productId: 'i32',
    quantity: 'i32',
    unitPrice: 'f64',
    deleted: 'u8',
    /** Filled at the end (fresh-features.ts): the line's category id, NaN for none. */
    category: 'f64',
  });

export interface FreshState {
  positions: Positions;
  /** Region names by index (users.region). */
  regions: string[];
  regionIndex: Map<string, number>;
  users: ReturnType<typeof userTable>;
  categories: Map<number, CategoryState>;
  products: Map<number, ProductState>;
  /** Every category a product has had, by position; the first event at a position wins (INSERT IGNORE). */
  versions: Map<number, Map<string, number>>;
  orders: ReturnType<typeof orderTable>;
  items: ReturnType<typeof itemTable>;
}

export const emptyFreshState = (): FreshState => ({
  positions: new Positions(),
  regions: [],
  regionIndex: new Map(),
  users: userTable(),
  categories: new Map(),
  products: new Map(),
  versions: new Map(),
  orders: orderTable(),
  items: itemTable(),
});

type Live<R> = Decoded<R> & { event: { kind: 'create' | 'read' | 'update' | 'delete' } };
const isLive = <R>(d: Decoded<R>): d is Live<R> => d.event.kind !== 'tombstone';
const rowOf = <R>(d: Live<R>): R => (d.event.kind === 'delete' ? d.event.before : d.event.after);

type PosTable = IdTable<'file' | 'pos' | 'row'>;

/**
 * The row for `id` if this event is to be written into it (new row, or a position >= the
 * row's), with the position already set; -1 if the row holds a newer one.
 */
function claim(s: FreshState, t: PosTable, id: number, src: SourcePosition): { row: number; added: boolean } {
  const file = s.positions.fileOf(src);
  const r = t.upsert(id);
  const c = t.cols;
  if (!r.added && s.positions.compare(file, src.pos, src.row, c.file[r.row]!, c.pos[r.row]!, c.row[r.row]!) < 0)
    return { row: -1, added: false };
  c.file[r.row] = file;
  c.pos[r.row] = src.pos;
  c.row[r.row] = src.row;
  return r;
}

/** The string key of a position, for the small tables that keep one per row. */
const keyOf = (s: FreshState, src: SourcePosition) => s.positions.key(s.positions.fileOf(src), src.pos, src.row);

function regionOf(s: FreshState, name: string): number {
  let i = s.regionIndex.get(name);
  if (i === undefined) s.regionIndex.set(name, (i = s.regions.push(name) - 1));
  return i;
}

export function applyUsersInMemory(s: FreshState, events: Decoded<UserRow>[]): void {
  for (const d of events) {
    if (!isLive(d)) continue;
    const r = rowOf(d);
    const { row } = claim(s, s.users, r.id, d.event.source);
    if (row < 0) continue;
    const c = s.users.cols;
    c.ts[row] = d.event.source.ts.getTime();
    c.gender[row] = GENDERS.indexOf(r.gender);
    c.region[row] = regionOf(s, r.region);
    c.tenureMonths[row] = r.tenureMonths;
    c.deleted[row] = d.event.kind === 'delete' ? 1 : 0;
  }
}

export function applyCategoriesInMemory(
  s: FreshState,
  events: Decoded<CategoryRow>[],
  modelIndexOf: (name: string) => number,
): void {
  for (const d of events) {
    if (!isLive(d) || d.event.kind === 'delete') continue;
    const r = rowOf(d);
    const pos = keyOf(s, d.event.source);
    const old = s.categories.get(r.id);
    if (!old || pos >= old.pos) s.categories.set(r.id, { pos, name: r.name, modelIndex: modelIndexOf(r.name) });
  }
}

export function applyProductsInMemory(s: FreshState, events: Decoded<ProductRow>[]): void {
  for (const d of events) {
    if (!isLive(d)) continue;
    const r = rowOf(d);
    const pos = keyOf(s, d.event.source);
    const deleted = d.event.kind === 'delete';
    const old = s.products.get(r.id);
    if (!old || pos >= old.pos) s.products.set(r.id, { pos, categoryId: r.categoryId, price: r.price, deleted });
    if (deleted) continue;
    let v = s.versions.get(r.id);
    if (!v) s.versions.set(r.id, (v = new Map()));
    if (!v.has(pos)) v.set(pos, r.categoryId);
  }
}

const ms = (d: Date | null) => (d === null ? NaN : d.getTime());
const statusChangedAt = (d: Live<OrderRow>, r: OrderRow) =>
  r.status === 'placed' || r.status === 'paid' ? NaN : ms(r.updatedAt ?? d.event.source.ts);

export function applyOrdersInMemory(s: FreshState, events: Decoded<OrderRow>[]): void {
  for (const d of events) {
    if (!isLive(d)) continue;
    const r = rowOf(d);
    const c = s.orders.cols;
    const { row, added } = claim(s, s.orders, r.id, d.event.source);
    if (row < 0) continue;
    const status = STATUSES.indexOf(r.status);
    let changedAt = statusChangedAt(d, r);
    // The change time of a cancellation survives a later event that keeps the same status.
    if (!added && !Number.isNaN(changedAt) && c.status[row] === status && !Number.isNaN(c.statusChangedAt[row]!))
      changedAt = c.statusChangedAt[row]!;
    const o = c;
    o.ts[row] = d.event.source.ts.getTime();
    o.userId[row] = r.userId;
    o.status[row] = status;
    o.statusChangedAt[row] = changedAt;
    o.coupon[row] = COUPONS.indexOf(r.couponStatus);
    o.deliveryCharge[row] = r.deliveryCharge;
    o.placedAt[row] = r.placedAt.getTime();
    o.deleted[row] = d.event.kind === 'delete' ? 1 : 0;
  }
}

export function applyItemsInMemory(s: FreshState, events: Decoded<OrderItemRow>[]): void {
  for (const d of events) {
    if (!isLive(d)) continue;
    const r = rowOf(d);
    const { row } = claim(s, s.items, r.id, d.event.source);
    if (row < 0) continue;
    const c = s.items.cols;
    c.ts[row] = d.event.source.ts.getTime();
    c.orderId[row] = r.orderId;
    c.productId[row] = r.productId;
    c.quantity[row] = r.quantity;
    c.unitPrice[row] = r.unitPrice;
    c.deleted[row] = d.event.kind === 'delete' ? 1 : 0;
  }
}
