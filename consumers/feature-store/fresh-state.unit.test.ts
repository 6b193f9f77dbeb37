import { describe, expect, it } from 'vitest';
import type { OrderItemRow, OrderRow, ProductRow, UserRow } from '../../streams/cdc/tables.ts';
import type { ChangeEvent } from '../../streams/cdc/envelope.ts';
import type { Decoded, InboundMessage } from './inbound.ts';
import {
  applyItemsInMemory,
  applyOrdersInMemory,
  applyProductsInMemory,
  applyUsersInMemory,
  emptyFreshState,
  STATUSES,
  type FreshState,
} from './fresh-state.ts';
import { resolveLineCategories, userFactsInChunks } from './fresh-features.ts';
import { IdTable } from './id-table.ts';

const msg: InboundMessage = { topic: 't', partition: 0, offset: '0', key: null, value: null, headers: {} };
const source = (pos: number, ts = 1_000) => ({
  ts: new Date(ts),
  db: 'shop',
  table: 't',
  file: 'mariadb-bin.000001',
  pos,
  row: 0,
  gtid: null,
  snapshot: false,
});
function ev<R>(kind: 'create' | 'update' | 'delete', row: R, pos: number, ts?: number): Decoded<R> {
  const common = { key: {}, source: source(pos, ts), emittedAt: new Date(0) };
  const event = (
    kind === 'delete'
      ? { kind, before: row, ...common }
      : kind === 'update'
        ? { kind, before: null, after: row, ...common }
        : { kind, after: row, ...common }
  ) as ChangeEvent<R>;
  return { msg, event };
}
const order = (status: OrderRow['status'], updatedAt: number | null = null): OrderRow => ({
  id: 1,
  externalRef: null,
  userId: 5,
  status,
  couponStatus: null,
  couponId: null,
  deliveryCharge: 1.5,
  placedAt: new Date(100),
  updatedAt: updatedAt === null ? null : new Date(updatedAt),
});
const product = (categoryId: number): ProductRow => ({
  id: 9,
  sku: 's',
  categoryId,
  title: 't',
  price: 2,
  imageUrl: '',
  updatedAt: null,
});
const user = (id: number): UserRow => ({
  id,
  externalRef: null,
  nickname: 'n',
  gender: 'F',
  region: 'r',
  joinedAt: new Date(0),
  tenureMonths: 1,
  updatedAt: null,
});
const orderOf = (s: FreshState, id: number) => {
  const [r, c] = [s.orders.row(id), s.orders.cols];
  const changed = c.statusChangedAt[r]!;
  return {
    status: STATUSES[c.status[r]!],
    statusChangedAt: Number.isNaN(changed) ? null : new Date(changed),
    deleted: c.deleted[r] === 1,
  };
};
const item = (id: number): OrderItemRow => ({ id, orderId: 1, productId: 9, quantity: 1, unitPrice: 3 });

describe('the in-memory state of a fresh replay', () => {
  it('keeps the newer row whatever order the events arrive in; a tie goes to the later event', () => {
    const s = emptyFreshState();
    applyOrdersInMemory(s, [ev('update', order('paid'), 200), ev('create', order('placed'), 100)]);
    expect(orderOf(s, 1).status).toBe('paid');
    applyOrdersInMemory(s, [ev('update', order('placed'), 200)]);
    expect(orderOf(s, 1).status).toBe('placed');
  });

  it('keeps the first change time of a cancellation when a later event keeps the status', () => {
    const s = emptyFreshState();
    applyOrdersInMemory(s, [ev('update', order('cancelled', 500), 100), ev('update', order('cancelled', 900), 200)]);
    expect(orderOf(s, 1).statusChangedAt).toEqual(new Date(500));
    applyOrdersInMemory(s, [ev('update', order('paid'), 300)]);
    expect(orderOf(s, 1).statusChangedAt).toBeNull();
    applyOrdersInMemory(s, [ev('delete', order('refunded', 950), 400)]);
    expect(orderOf(s, 1)).toMatchObject({ deleted: true, statusChangedAt: new Date(950) });
  });

  it('gives each line the category in force at its position, the earliest one if it predates them all', () => {
    const s = emptyFreshState();
    applyItemsInMemory(s, [ev('create', item(1), 50), ev('create', item(2), 150), ev('create', item(3), 250)]);
    applyProductsInMemory(s, [
      ev('create', product(7), 100),
      ev('update', product(8), 200),
      ev('update', product(6), 200),
    ]);
    resolveLineCategories(s);
    expect([1, 2, 3].map((id) => [id, s.items.cols.category[s.items.row(id)]])).toEqual([
      [1, 7],
      [2, 7],
      [3, 8],
    ]);
    expect(s.products.get(9)!.categoryId).toBe(6);
    expect(Number.isNaN(s.items.cols.category[s.items.row(2)])).toBe(false);
  });

  it('leaves deleted shoppers, orders and lines out of the facts, but not the times they went', () => {
    const s = emptyFreshState();
    applyUsersInMemory(s, [ev('create', user(5), 100, 10), ev('delete', user(6), 100, 10)]);
    applyOrdersInMemory(s, [ev('create', order('paid'), 100, 2_000)]);
    applyItemsInMemory(s, [ev('create', item(2), 100, 3_000), ev('delete', item(1), 100, 4_000)]);
    resolveLineCategories(s);
    const facts = [...userFactsInChunks(s)].flat();
    expect(facts.map((f) => f.userId)).toEqual([5]);
    expect(facts[0]!.orders[0]!.lines).toEqual([{ category: -1, quantity: 1, unitPrice: 3 }]);
    // The line's deletion is the newest change: features made after it must not look older.
    expect(facts[0]!.sourceTs).toEqual(new Date(4_000));
    applyOrdersInMemory(s, [ev('delete', order('paid'), 200, 5_000)]);
    const after = [...userFactsInChunks(s)].flat();
    expect(after[0]!.orders).toEqual([]);
    expect(after[0]!.sourceTs).toEqual(new Date(5_000));
    expect(after[0]!.asOf).toEqual(new Date(5_000));
  });

  it('keeps rows by id through growth, in ids up to 2^53', () => {
    const t = new IdTable({ v: 'f64' }, 4);
    const ids = Array.from({ length: 5_000 }, (_, i) => (i % 2 ? i + 1 : Number.MAX_SAFE_INTEGER - i));
    for (const id of ids) {
      const { row } = t.upsert(id);
      t.cols.v[row] = id / 2;
    }
    expect(t.size).toBe(5_000);
    expect(t.upsert(ids[7]!).added).toBe(false);
    expect(ids.every((id) => t.cols.v[t.row(id)] === id / 2)).toBe(true);
    expect(t.row(3)).toBe(-1);
    expect([...t.rowsById()].map((r) => t.ids[r])).toEqual([...ids].sort((a, b) => a - b));
  });

  it('orders positions as positionKey does: by file first, then byte position, then row', () => {
    const s = emptyFreshState();
    applyItemsInMemory(s, [ev('create', item(1), 500)]);
    const later = { ...ev('update', { ...item(1), quantity: 2 }, 10), msg };
    (later.event as { source: { file: string } }).source.file = 'mariadb-bin.000002';
    applyItemsInMemory(s, [later, ev('update', { ...item(1), quantity: 3 }, 900)]);
    expect(s.items.cols.quantity[s.items.row(1)]).toBe(2);
  });
});
