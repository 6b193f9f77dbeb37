import { describe, expect, it } from 'vitest';
import type { OrderItemRow, OrderRow, ProductRow } from '../../streams/cdc/tables.ts';
import type { ChangeEvent } from '../../streams/cdc/envelope.ts';
import type { Decoded, InboundMessage } from './inbound.ts';
import { applyItemsInMemory, applyOrdersInMemory, applyProductsInMemory, emptyFreshState } from './fresh-state.ts';
import { allUserFacts, lineCategories } from './fresh-features.ts';

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
const item = (id: number): OrderItemRow => ({ id, orderId: 1, productId: 9, quantity: 1, unitPrice: 3 });

describe('the in-memory state of a fresh replay', () => {
  it('keeps the newer row whatever order the events arrive in; a tie goes to the later event', () => {
    const s = emptyFreshState();
    applyOrdersInMemory(s, [ev('update', order('paid'), 200), ev('create', order('placed'), 100)]);
    expect(s.orders.get(1)!.status).toBe('paid');
    applyOrdersInMemory(s, [ev('update', order('placed'), 200)]);
    expect(s.orders.get(1)!.status).toBe('placed');
  });

  it('keeps the first change time of a cancellation when a later event keeps the status', () => {
    const s = emptyFreshState();
    applyOrdersInMemory(s, [ev('update', order('cancelled', 500), 100), ev('update', order('cancelled', 900), 200)]);
    expect(s.orders.get(1)!.statusChangedAt).toEqual(new Date(500));
    applyOrdersInMemory(s, [ev('update', order('paid'), 300)]);
    expect(s.orders.get(1)!.statusChangedAt).toBeNull();
    applyOrdersInMemory(s, [ev('delete', order('refunded', 950), 400)]);
    expect(s.orders.get(1)).toMatchObject({ deleted: true, statusChangedAt: new Date(950) });
  });

  it('gives each line the category in force at its position, the earliest one if it predates them all', () => {
    const s = emptyFreshState();
    applyItemsInMemory(s, [ev('create', item(1), 50), ev('create', item(2), 150), ev('create', item(3), 250)]);
    applyProductsInMemory(s, [
      ev('create', product(7), 100),
      ev('update', product(8), 200),
      ev('update', product(6), 200),
    ]);
    expect([...lineCategories(s)]).toEqual([
      [1, 7],
      [2, 7],
      [3, 8],
    ]);
    expect(s.products.get(9)!.categoryId).toBe(6);
  });

  it('leaves deleted shoppers, orders and lines out of the facts', () => {
    const s = emptyFreshState();
    s.users.set(5, { pos: 'a', ts: new Date(10), gender: 'F', region: 'r', tenureMonths: 1, deleted: false });
    s.users.set(6, { pos: 'a', ts: new Date(10), gender: 'M', region: 'r', tenureMonths: 1, deleted: true });
    applyOrdersInMemory(s, [ev('create', order('paid'), 100, 2_000)]);
    applyItemsInMemory(s, [ev('create', item(2), 100, 3_000), ev('delete', item(1), 100, 4_000)]);
    const facts = allUserFacts(s, lineCategories(s));
    expect(facts.map((f) => f.userId)).toEqual([5]);
    expect(facts[0]!.orders[0]!.lines).toEqual([{ category: -1, quantity: 1, unitPrice: 3 }]);
    expect(facts[0]!.sourceTs).toEqual(new Date(3_000));
  });
});
