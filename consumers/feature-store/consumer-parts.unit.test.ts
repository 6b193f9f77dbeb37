import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cdcTopics } from '../../streams/cdc/topics.ts';
import { TransientError, ValidationError } from '../../core/errors.ts';
import { silentLogger } from '../../core/logger.ts';
import { sortMessages } from './apply-batch.ts';
import { dlqMessage, groupByTopic } from '../shared/dlq.ts';
import type { InboundMessage } from './inbound.ts';
import { positionKey, sourceEpoch } from './position.ts';
import { createPositionWatch } from './position-watch.ts';
import { retryTransient } from '../../core/retry.ts';
import { checkOrder, checkOrderItem } from './validate.ts';

const recorded: { topic: string; key: string; value: string | null }[] = JSON.parse(
  readFileSync(new URL('../../streams/cdc/fixtures/recorded-envelopes.json', import.meta.url), 'utf8'),
);
const inbound = (r: { topic: string; key: string; value: string | null }, offset = 0): InboundMessage => ({
  topic: r.topic,
  partition: 0,
  offset: String(offset),
  key: Buffer.from(r.key),
  value: r.value === null ? null : Buffer.from(r.value),
  headers: {},
});

describe('binlog position keys', () => {
  it('sort like the binlog: file, then position, then row', () => {
    const keys = [
      { file: 'mariadb-bin.000002', pos: 4, row: 0 },
      { file: 'mariadb-bin.000001', pos: 900, row: 1 },
      { file: 'mariadb-bin.000001', pos: 900, row: 0 },
      { file: 'mariadb-bin.000001', pos: 1000, row: 0 },
      { file: 'mariadb-bin.000010', pos: 1, row: 0 },
    ].map(positionKey);
    expect([...keys].sort()).toEqual([keys[2], keys[1], keys[3], keys[0], keys[4]]);
  });
  it('rejects a file name without a sequence number', () => {
    expect(() => positionKey({ file: 'binlog', pos: 1, row: 0 })).toThrow(ValidationError);
  });
  it('puts the source epoch first: a new binlog generation sorts after every position of the old one', () => {
    const old = positionKey({ file: 'mariadb-bin.000042', pos: 9_000_000, row: 3 });
    const fresh = positionKey({ file: 'mariadb-bin-g1.000001', pos: 4, row: 0 });
    const later = positionKey({ file: 'mariadb-bin-g12.000001', pos: 4, row: 0 });
    expect(sourceEpoch('mariadb-bin-g12.000001')).toBe(12);
    expect(sourceEpoch('mariadb-bin.000042')).toBe(0);
    expect(old < fresh && fresh < later).toBe(true);
  });
});

describe('position watch', () => {
  const src = (file: string, pos: number, tsMs: number) => ({
    ts: new Date(tsMs),
    db: 'shop',
    table: 'users',
    file,
    pos,
    row: 0,
    gtid: null,
    snapshot: false,
  });
  const msg = (offset: number, partition = 0): InboundMessage => ({
    topic: 't',
    partition,
    offset: String(offset),
    key: null,
    value: null,
    headers: {},
  });
  const watched = () => {
    const seen: string[] = [];
    const watch = createPositionWatch({ logger: silentLogger, onRegression: (_t, kind) => seen.push(kind) });
    return { seen, watch };
  };

  it('stays quiet for redeliveries (lower positions, no newer) and for a new epoch', () => {
    const { seen, watch } = watched();
    watch(msg(1), src('mariadb-bin.000001', 100, 10_000));
    watch(msg(2), src('mariadb-bin.000001', 200, 11_000));
    watch(msg(3), src('mariadb-bin.000001', 100, 10_000)); // Debezium re-sent after a Connect crash
    watch(msg(2), src('mariadb-bin.000001', 200, 11_000)); // the same chunk retried
    watch(msg(4), src('mariadb-bin-g1.000001', 4, 12_000));
    expect(seen).toEqual([]);
  });

  it('alerts when positions go backwards with newer changes in one epoch, and when the epoch goes backwards', () => {
    const { seen, watch } = watched();
    watch(msg(1), src('mariadb-bin-g1.000003', 5_000, 10_000));
    watch(msg(2), src('mariadb-bin-g1.000001', 300, 20_000));
    watch(msg(3), src('mariadb-bin.000009', 300, 30_000));
    watch(msg(1, 1), src('mariadb-bin-g1.000001', 300, 20_000));
    expect(seen).toEqual(['position', 'epoch']);
  });
});

describe('business checks', () => {
  const item = { id: 1, orderId: 1, productId: 1, quantity: 2, unitPrice: 3 };
  it('rejects negative and absurd quantities and prices', () => {
    expect(checkOrderItem(item)).toBeNull();
    expect(checkOrderItem({ ...item, quantity: -1 })?.message).toMatch(/quantity: must be positive/);
    expect(checkOrderItem({ ...item, quantity: 900 })).toBeNull();
    expect(checkOrderItem({ ...item, quantity: 1e6 })?.message).toMatch(/absurd quantity/);
    expect(checkOrderItem({ ...item, unitPrice: 5e6 })?.message).toMatch(/absurd unit price/);
  });
  it('rejects orders placed before 2000 or far in the future', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const order = {
      id: 1,
      externalRef: null,
      userId: 1,
      status: 'paid' as const,
      couponStatus: null,
      couponId: null,
      deliveryCharge: 1,
      placedAt: new Date('2019-01-01T00:00:00Z'),
      updatedAt: null,
    };
    expect(checkOrder(order, now)).toBeNull();
    expect(checkOrder({ ...order, placedAt: new Date('1970-01-01T00:00:00Z') }, now)?.message).toMatch(/placed_at/);
    expect(checkOrder({ ...order, placedAt: new Date('2030-01-01T00:00:00Z') }, now)?.message).toMatch(/in the future/);
    expect(checkOrder({ ...order, deliveryCharge: -2 }, now)?.message).toMatch(/delivery_charge/);
  });
});

describe('sorting a batch', () => {
  const deps = { pool: undefined as never, topics: cdcTopics(), numCategories: 16, modelIndexOf: () => 0 };
  it('routes recorded envelopes to their tables and rejects bad ones with a reason', () => {
    const msgs = recorded.filter((r) => r.topic.startsWith('cdc.')).map((r, i) => inbound(r, i));
    msgs.push({ ...msgs[0]!, offset: '99', value: Buffer.from('nope') });
    msgs.push({ ...msgs[0]!, topic: 'cdc.shop.unknown', offset: '100' });
    const s = sortMessages(msgs, deps);
    expect(s.orders.map((d) => d.event.kind)).toEqual(['create', 'update', 'delete', 'tombstone']);
    expect(s.items.length).toBe(4);
    expect(s.users.length).toBe(1);
    expect(s.products.length).toBe(2);
    expect(s.rejected.map((r) => r.reason)).toEqual([
      expect.stringMatching(/not JSON/),
      expect.stringMatching(/no decoder for topic cdc.shop.unknown/),
    ]);
  });
  it('rejects a line with an absurd quantity before it reaches the database', () => {
    const line = recorded.find((r) => r.topic === 'cdc.shop.order_items' && r.value)!;
    const env = JSON.parse(line.value!);
    env.after.quantity = 2_000_000;
    const s = sortMessages([inbound({ ...line, value: JSON.stringify(env) })], deps);
    expect(s.items).toHaveLength(0);
    expect(s.rejected[0]!.reason).toMatch(/absurd quantity/);
  });
});

describe('dead-letter records', () => {
  it('keep the original bytes and headers and say why and where from', () => {
    const msg: InboundMessage = {
      topic: 'cdc.shop.orders',
      partition: 2,
      offset: '41',
      key: Buffer.from('k'),
      value: Buffer.from('v'),
      headers: { trace: 'x' },
    };
    const d = dlqMessage(
      { msg, reason: 'bad', errorClass: 'ValidationError' },
      'features',
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(d.topic).toBe('cdc.shop.orders.dlq');
    expect(d.message.value).toEqual(Buffer.from('v'));
    expect(d.message.headers).toMatchObject({
      trace: 'x',
      'dlq.reason': 'bad',
      'dlq.partition': '2',
      'dlq.offset': '41',
      'dlq.group': 'features',
    });
    expect(groupByTopic([d, d])).toEqual([{ topic: 'cdc.shop.orders.dlq', messages: [d.message, d.message] }]);
  });
});

describe('retrying transient failures', () => {
  it('retries transient errors until success, never skipping', async () => {
    let n = 0;
    const waits: number[] = [];
    const v = await retryTransient(
      'x',
      async () => {
        if (++n < 3) throw new TransientError('down');
        return n;
      },
      { logger: silentLogger, maxDelayMs: 1, onRetry: () => waits.push(n) },
    );
    expect(v).toBe(3);
    expect(waits).toEqual([1, 2]);
  });
  it('does not retry a permanent error', async () => {
    let n = 0;
    await expect(
      retryTransient(
        'x',
        async () => {
          n++;
          throw new ValidationError('bad');
        },
        { logger: silentLogger },
      ),
    ).rejects.toThrow('bad');
    expect(n).toBe(1);
  });
  it('gives up when told to stop, so the work is redone after a restart', async () => {
    await expect(
      retryTransient(
        'x',
        async () => {
          throw new TransientError('down');
        },
        { logger: silentLogger, keepGoing: () => false },
      ),
    ).rejects.toThrow(/stopped while retrying/);
  });
});

describe('the category of a line at its position', () => {
  const versions = [
    { pos: '0001:0100:0', category: 3 },
    { pos: '0001:0500:0', category: 7 },
  ];
  it('takes the version in force at the line, whatever order things were applied in', async () => {
    const { categoryAt } = await import('./base-state.ts');
    expect(categoryAt(versions, '0001:0200:0')).toBe(3);
    expect(categoryAt(versions, '0001:0500:0')).toBe(7);
    expect(categoryAt(versions, '0002:0000:0')).toBe(7);
    expect(categoryAt(versions, '0001:0050:0')).toBe(3);
    expect(categoryAt([], '0001:0050:0')).toBeNull();
    expect(categoryAt(undefined, '0001:0050:0')).toBeNull();
  });
});
