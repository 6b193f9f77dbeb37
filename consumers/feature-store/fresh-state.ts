import type { CategoryRow, OrderItemRow, OrderRow, ProductRow, UserRow } from '../../streams/cdc/tables.ts';
import type { Decoded } from './inbound.ts';
import type { SourcePosition } from '../../streams/cdc/envelope.ts';
import { positionKey } from './position.ts';

/**
 * The base state of a fresh replay, held in memory. Each apply mirrors the guarded upsert of
 * base-state.ts for the same table ("newer wins": an event at a position >= the row's replaces
 * it, so a tie goes to the later one, as `IF(VALUES(src_pos) >= src_pos, ...)` does), so the
 * tables written at the end equal what applying the same events one chunk at a time gives.
 */
export interface UserState {
  pos: string;
  ts: Date;
  gender: UserRow['gender'];
  region: string;
  tenureMonths: number;
  deleted: boolean;
}
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
export interface OrderState {
  pos: string;
  ts: Date;
  userId: number;
  status: OrderRow['status'];
  statusChangedAt: Date | null;
  couponStatus: OrderRow['couponStatus'];
  deliveryCharge: number;
  placedAt: Date;
  deleted: boolean;
}
export interface ItemState {
  pos: string;
  /** Commit time in ms: a number, not a Date, as a million lines are held at once. */
  ts: number;
  orderId: number;
  productId: number;
  quantity: number;
  unitPrice: number;
  deleted: boolean;
}

export interface FreshState {
  users: Map<number, UserState>;
  categories: Map<number, CategoryState>;
  products: Map<number, ProductState>;
  /** Every category a product has had, by position; the first event at a position wins (INSERT IGNORE). */
  versions: Map<number, Map<string, number>>;
  orders: Map<number, OrderState>;
  items: Map<number, ItemState>;
  /** The last position key made: a snapshot gives every row the same position, so most lines share one string. */
  lastPos: { file: string; pos: number; row: number; key: string } | null;
}

export const emptyFreshState = (): FreshState => ({
  users: new Map(),
  categories: new Map(),
  products: new Map(),
  versions: new Map(),
  orders: new Map(),
  items: new Map(),
  lastPos: null,
});

type Live<R> = Decoded<R> & { event: { kind: 'create' | 'read' | 'update' | 'delete' } };
const isLive = <R>(d: Decoded<R>): d is Live<R> => d.event.kind !== 'tombstone';
const rowOf = <R>(d: Live<R>): R => (d.event.kind === 'delete' ? d.event.before : d.event.after);

function posOf(s: FreshState, src: SourcePosition): string {
  const l = s.lastPos;
  if (l && l.file === src.file && l.pos === src.pos && l.row === src.row) return l.key;
  const key = positionKey(src);
  s.lastPos = { file: src.file, pos: src.pos, row: src.row, key };
  return key;
}

/** Sets `next` unless the row holds a newer position: the guard of every upsert. */
function put<S extends { pos: string }>(map: Map<number, S>, id: number, next: S): S | undefined {
  const old = map.get(id);
  if (!old || next.pos >= old.pos) map.set(id, next);
  return old;
}

export function applyUsersInMemory(s: FreshState, events: Decoded<UserRow>[]): void {
  for (const d of events) {
    if (!isLive(d)) continue;
    const r = rowOf(d);
    put(s.users, r.id, {
      pos: posOf(s, d.event.source),
      ts: d.event.source.ts,
      gender: r.gender,
      region: r.region,
      tenureMonths: r.tenureMonths,
      deleted: d.event.kind === 'delete',
    });
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
    put(s.categories, r.id, { pos: posOf(s, d.event.source), name: r.name, modelIndex: modelIndexOf(r.name) });
  }
}

export function applyProductsInMemory(s: FreshState, events: Decoded<ProductRow>[]): void {
  for (const d of events) {
    if (!isLive(d)) continue;
    const r = rowOf(d);
    const pos = posOf(s, d.event.source);
    const deleted = d.event.kind === 'delete';
    put(s.products, r.id, { pos, categoryId: r.categoryId, price: r.price, deleted });
    if (deleted) continue;
    let v = s.versions.get(r.id);
    if (!v) s.versions.set(r.id, (v = new Map()));
    if (!v.has(pos)) v.set(pos, r.categoryId);
  }
}

const statusChangedAt = (d: Live<OrderRow>, r: OrderRow) =>
  r.status === 'placed' || r.status === 'paid' ? null : (r.updatedAt ?? d.event.source.ts);

export function applyOrdersInMemory(s: FreshState, events: Decoded<OrderRow>[]): void {
  for (const d of events) {
    if (!isLive(d)) continue;
    const r = rowOf(d);
    const next: OrderState = {
      pos: posOf(s, d.event.source),
      ts: d.event.source.ts,
      userId: r.userId,
      status: r.status,
      statusChangedAt: statusChangedAt(d, r),
      couponStatus: r.couponStatus,
      deliveryCharge: r.deliveryCharge,
      placedAt: r.placedAt,
      deleted: d.event.kind === 'delete',
    };
    const old = put(s.orders, r.id, next);
    // The change time of a cancellation survives a later event that keeps the same status.
    if (old && next.pos >= old.pos && next.statusChangedAt !== null && next.status === old.status)
      next.statusChangedAt = old.statusChangedAt ?? next.statusChangedAt;
  }
}

export function applyItemsInMemory(s: FreshState, events: Decoded<OrderItemRow>[]): void {
  for (const d of events) {
    if (!isLive(d)) continue;
    const r = rowOf(d);
    put(s.items, r.id, {
      pos: posOf(s, d.event.source),
      ts: d.event.source.ts.getTime(),
      orderId: r.orderId,
      productId: r.productId,
      quantity: r.quantity,
      unitPrice: r.unitPrice,
      deleted: d.event.kind === 'delete',
    });
  }
}
