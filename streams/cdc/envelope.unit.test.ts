import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { cdcTopics } from './topics.ts';
import { decodeFromTopic } from './decode.ts';
import type { RawMessage } from './envelope.ts';

interface Recorded {
  topic: string;
  key: string;
  value: string | null;
}
/** Envelopes recorded from Debezium 3.2 MariaDB with connect/shop-cdc.json (JsonConverter, schemas off). */
const recorded: Recorded[] = JSON.parse(
  readFileSync(new URL('./fixtures/recorded-envelopes.json', import.meta.url), 'utf8'),
);
const at = (topic: string, i: number) => recorded.filter((r) => r.topic === topic)[i]!;
const shop = cdcTopics();
const snap = cdcTopics({ prefix: 'snap', database: 'shop' });

function ok<T>(r: { ok: true; event: T } | { ok: false; error: ValidationError }): T {
  if (!r.ok) throw r.error;
  return r.event;
}

describe('decoding recorded Debezium envelopes', () => {
  it('decodes an order create with decimals as numbers and datetimes as Dates', () => {
    const e = ok(decodeFromTopic(shop.orders, at('cdc.shop.orders', 0)));
    expect(e.kind).toBe('create');
    if (e.kind !== 'create') return;
    expect(e.after).toMatchObject({
      id: 1,
      userId: 1,
      status: 'paid',
      couponStatus: 'used',
      deliveryCharge: 6.5,
      couponId: null,
    });
    expect(e.after.placedAt.toISOString()).toBe('2019-03-01T10:00:00.123Z');
    expect(e.key).toEqual({ id: 1 });
    expect(e.source).toMatchObject({ db: 'shop', table: 'orders', file: 'mariadb-bin.000001', snapshot: false });
    expect(e.source.pos).toBeGreaterThan(0);
  });

  it('decodes an update with before and after', () => {
    const e = ok(decodeFromTopic(shop.orders, at('cdc.shop.orders', 1)));
    expect(e.kind).toBe('update');
    if (e.kind !== 'update') return;
    expect(e.before?.status).toBe('paid');
    expect(e.after.status).toBe('cancelled');
  });

  it('decodes a delete and the tombstone that follows it', () => {
    const del = ok(decodeFromTopic(shop.orders, at('cdc.shop.orders', 2)));
    expect(del.kind).toBe('delete');
    if (del.kind === 'delete') expect(del.before.id).toBe(1);
    const tomb = ok(decodeFromTopic(shop.orders, at('cdc.shop.orders', 3)));
    expect(tomb).toEqual({ kind: 'tombstone', key: { id: 1 } });
  });

  it('decodes order lines, users and products', () => {
    const item = ok(decodeFromTopic(shop.orderItems, at('cdc.shop.order_items', 0)));
    expect(item.kind === 'create' && item.after).toEqual({
      id: 1,
      orderId: 1,
      productId: 1,
      quantity: 2,
      unitPrice: 19.99,
    });
    const user = ok(decodeFromTopic(shop.users, at('cdc.shop.users', 0)));
    expect(user.kind === 'create' && user.after).toMatchObject({
      nickname: 'kim',
      gender: 'F',
      region: 'Chicago',
      tenureMonths: 12,
    });
    if (user.kind === 'create') expect(user.after.joinedAt.toISOString()).toBe('2019-01-02T03:04:05.678Z');
    const upd = ok(decodeFromTopic(shop.products, at('cdc.shop.products', 1)));
    expect(upd.kind === 'update' && upd.after.price).toBe(21.5);
  });

  it('marks snapshot reads', () => {
    const e = ok(decodeFromTopic(snap.users, at('snap.shop.users', 0)));
    expect(e.kind).toBe('read');
    if (e.kind === 'read') expect(e.source.snapshot).toBe(true);
  });
});

describe('malformed messages are reported with a reason, never thrown', () => {
  const good = at('cdc.shop.orders', 0);
  const withAfter = (patch: Record<string, unknown>): RawMessage => {
    const env = JSON.parse(good.value!);
    env.after = { ...env.after, ...patch };
    return { key: good.key, value: JSON.stringify(env) };
  };
  const cases: [string, RawMessage, RegExp][] = [
    ['value is not JSON', { key: good.key, value: Buffer.from('{not json') }, /value is not JSON/],
    ['key is not JSON', { key: 'nope', value: good.value }, /key is not JSON/],
    ['no key', { key: null, value: good.value }, /no key/],
    [
      'missing op',
      { key: good.key, value: JSON.stringify({ ...JSON.parse(good.value!), op: undefined }) },
      /value\.op/,
    ],
    [
      'base64 decimal',
      withAfter({ delivery_charge: 'AoI=' }),
      /value\.after\.delivery_charge: expected a decimal string/,
    ],
    ['unknown status', withAfter({ status: 'lost' }), /value\.after\.status/],
    ['datetime as string', withAfter({ placed_at: '2019-03-01' }), /value\.after\.placed_at/],
    ['negative user id', withAfter({ user_id: -4 }), /value\.after\.user_id/],
    [
      'create without after',
      { key: good.key, value: JSON.stringify({ ...JSON.parse(good.value!), after: null }) },
      /value\.after/,
    ],
    [
      'truncate op',
      { key: good.key, value: JSON.stringify({ ...JSON.parse(good.value!), op: 't' }) },
      /not a row change/,
    ],
  ];
  it.each(cases)('%s', (_name, msg, reason) => {
    const r = decodeFromTopic(shop.orders, msg);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toBeInstanceOf(ValidationError);
    expect(r.error.message).toMatch(reason);
  });

  it('keeps accepting rows that gained a column (schemas only grow)', () => {
    const e = ok(decodeFromTopic(shop.orders, withAfter({ gift_wrap: 1 })));
    expect(e.kind).toBe('create');
  });
});
