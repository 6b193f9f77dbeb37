import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { decodeChange } from './envelope.ts';
import { fastRowFor } from './fast-rows.ts';
import { categoryRow, orderItemRow, orderRow, productRow, userRow } from './tables.ts';

const recorded: { topic: string; key: string; value: string | null }[] = JSON.parse(
  readFileSync(new URL('./fixtures/recorded-envelopes.json', import.meta.url), 'utf8'),
);
const schemaOf: Record<string, z.ZodType> = {
  users: userRow,
  categories: categoryRow,
  products: productRow,
  orders: orderRow,
  order_items: orderItemRow,
};
const tableOf = (topic: string) => topic.split('.').at(-1)!;

/** The fast path must give exactly what zod gives: the same event, or the same error. */
function same(schema: z.ZodType, key: string, value: string | null) {
  const msg = { key: Buffer.from(key), value: value === null ? null : Buffer.from(value) };
  const slow = decodeChange(schema, msg);
  const fast = decodeChange(schema, msg, fastRowFor(schema));
  expect(fast.ok).toBe(slow.ok);
  if (slow.ok && fast.ok) expect(fast.event).toStrictEqual(slow.event);
  if (!slow.ok && !fast.ok) expect(fast.error.message).toBe(slow.error.message);
  return slow;
}

const mutate = (value: string, f: (env: Record<string, Record<string, unknown>>) => void) => {
  const env = JSON.parse(value);
  f(env);
  return JSON.stringify(env);
};

describe('the fast row decoders', () => {
  it('decode every recorded envelope exactly as the zod schemas do', () => {
    for (const r of recorded) same(schemaOf[tableOf(r.topic)]!, r.key, r.value);
  });

  it.each([
    ['a float quantity', 'order_items', (e) => (e.after!.quantity = 1.5)],
    ['a base64 decimal', 'order_items', (e) => (e.after!.unit_price = 'AfQ=')],
    ['a zero id', 'order_items', (e) => (e.after!.id = 0)],
    ['an unknown status', 'orders', (e) => (e.after!.status = 'lost')],
    ['a null coupon', 'orders', (e) => (e.after!.coupon_status = null)],
    ['no optional columns', 'orders', (e) => (delete e.after!.updated_at, delete e.after!.external_ref)],
    ['an extra column', 'orders', (e) => (e.after!.gift_wrap = 1)],
    ['a truncate', 'orders', (e) => ((e as Record<string, unknown>).op = 't')],
    ['a string position', 'orders', (e) => (e.source!.pos = '12')],
    ['no row number', 'users', (e) => delete e.source!.row],
    ['a null row number', 'users', (e) => (e.source!.row = null)],
    ['a negative tenure', 'users', (e) => (e.after!.tenure_months = -1)],
    ['a bad gender', 'users', (e) => (e.after!.gender = 'X')],
    ['a boolean snapshot flag', 'users', (e) => (e.source!.snapshot = true)],
    ['a missing price', 'products', (e) => delete e.after!.price],
    ['an array row', 'categories', (e) => (e.after = [] as unknown as Record<string, unknown>)],
  ] as [string, string, (e: Record<string, Record<string, unknown>>) => void][])(
    'agree with zod on %s',
    (_what, table, f) => {
      const r = recorded.find((x) => tableOf(x.topic) === table && x.value && JSON.parse(x.value).after)!;
      same(schemaOf[table]!, r.key, mutate(r.value!, f));
    },
  );

  it('agree with zod on keys and values that are not JSON objects', () => {
    const r = recorded.find((x) => x.value)!;
    same(orderRow, '[1]', r.value);
    same(orderRow, r.key, '{not json');
    same(orderRow, r.key, null);
  });
});
