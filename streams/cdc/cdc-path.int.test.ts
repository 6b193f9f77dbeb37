import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../e2e/harness/test-database.ts';
import { startTestCdc, type TestCdc } from '../../e2e/harness/test-cdc.ts';
import { readTopics, type ReceivedMessage, type TopicReader } from '../../e2e/harness/topic-reader.ts';
import { kafkaBrokers } from '../../stack/settings.ts';
import { decodeFromTopic } from './decode.ts';
import type { ChangeEvent } from './envelope.ts';
import type { z } from 'zod';
import type { TopicDef } from '../topic.ts';

const run = promisify(execFile);

describe('CDC path: shop database -> Debezium -> Kafka', () => {
  let tdb: TestDatabase;
  let cdc: TestCdc;
  let reader: TopicReader;
  let userId: number;
  let productIds: number[];

  beforeAll(async () => {
    tdb = await createTestDatabase();
    const prisma = tdb.prisma();
    const cat = await prisma.category.create({ data: { name: 'Apparel' } });
    productIds = await Promise.all(
      ['A', 'B'].map(
        async (sku, i) =>
          (
            await prisma.product.create({
              data: {
                sku,
                categoryId: cat.id,
                title: `Product ${sku}`,
                price: `${19 + i}.99`,
                imageUrl: `https://img.example/${sku}.png`,
              },
            })
          ).id,
      ),
    );
    userId = (
      await prisma.user.create({
        data: {
          nickname: 'minji',
          gender: 'F',
          region: 'Chicago',
          joinedAt: new Date('2018-05-01T00:00:00Z'),
          tenureMonths: 20,
        },
      })
    ).id;
    cdc = await startTestCdc(tdb.name);
    reader = await readTopics(kafkaBrokers(inject('stack')), [
      cdc.topics.orders.name,
      cdc.topics.orderItems.name,
      cdc.topics.users.name,
    ]);
  });

  afterAll(async () => {
    await reader?.close();
    await cdc?.stop();
    await tdb?.drop();
  });

  const decoded = <S extends z.ZodType>(topic: TopicDef<S>, msgs: ReceivedMessage[]): ChangeEvent<z.output<S>>[] =>
    msgs
      .filter((m) => m.topic === topic.name)
      .map((m) => {
        const r = decodeFromTopic(topic, m);
        if (!r.ok) throw r.error;
        return r.event;
      });
  const orders = (msgs: ReceivedMessage[]) => decoded(cdc.topics.orders, msgs);
  const items = (msgs: ReceivedMessage[]) => decoded(cdc.topics.orderItems, msgs);

  it('snapshots rows that existed before the connector started as read events', async () => {
    const msgs = await reader.until((m) => m.some((x) => x.topic === cdc.topics.users.name));
    const users = decoded(cdc.topics.users, msgs);
    expect(users[0]).toMatchObject({ kind: 'read', after: { id: userId, nickname: 'minji' } });
  });

  it('an order with items inserted through Prisma arrives as decoded create events within 5 s', async () => {
    const placedAt = new Date('2019-07-04T12:34:56.789Z');
    const order = await tdb.prisma().order.create({
      data: {
        userId,
        status: 'paid',
        couponStatus: 'used',
        deliveryCharge: '6.50',
        placedAt,
        items: {
          create: [
            { productId: productIds[0]!, quantity: 2, unitPrice: '19.99' },
            { productId: productIds[1]!, quantity: 1, unitPrice: '20.99' },
          ],
        },
      },
    });
    const committedAt = Date.now();
    const id = Number(order.id);
    const msgs = await reader.until(
      (m) =>
        orders(m).some((e) => e.kind === 'create' && e.after.id === id) &&
        items(m).filter((e) => e.kind === 'create' && e.after.orderId === id).length === 2,
      5_000,
    );
    const created = orders(msgs).find((e) => e.kind === 'create' && e.after.id === id);
    expect(created).toMatchObject({
      kind: 'create',
      after: { userId, status: 'paid', couponStatus: 'used', deliveryCharge: 6.5 },
    });
    if (created?.kind === 'create') expect(created.after.placedAt.toISOString()).toBe(placedAt.toISOString());
    const lines = items(msgs).flatMap((e) => (e.kind === 'create' && e.after.orderId === id ? [e.after] : []));
    expect(lines.map((l) => [l.productId, l.quantity, l.unitPrice]).sort()).toEqual(
      [
        [productIds[0], 2, 19.99],
        [productIds[1], 1, 20.99],
      ].sort(),
    );
    const last = Math.max(...msgs.filter((m) => m.topic !== cdc.topics.users.name).map((m) => m.receivedAt));
    expect(last - committedAt).toBeLessThan(5_000);
  });

  it('an order status update arrives with before and after', async () => {
    const order = await tdb
      .prisma()
      .order.create({ data: { userId, status: 'paid', placedAt: new Date('2019-08-01T00:00:00Z') } });
    const id = Number(order.id);
    await tdb.prisma().order.update({ where: { id: order.id }, data: { status: 'cancelled' } });
    const msgs = await reader.until((m) => orders(m).some((e) => e.kind === 'update' && e.after.id === id));
    const upd = orders(msgs).find((e) => e.kind === 'update' && e.after.id === id);
    expect(upd).toMatchObject({ kind: 'update', before: { status: 'paid' }, after: { status: 'cancelled' } });
  });

  it('a delete arrives as a delete event followed by a tombstone for the same key', async () => {
    const order = await tdb.prisma().order.create({
      data: {
        userId,
        placedAt: new Date('2019-09-01T00:00:00Z'),
        items: { create: [{ productId: productIds[0]!, quantity: 3, unitPrice: '19.99' }] },
      },
    });
    const item = await tdb.prisma().orderItem.findFirstOrThrow({ where: { orderId: order.id } });
    // Delete the line first: InnoDB's ON DELETE CASCADE is not written to the binlog, so a
    // cascaded child delete would never reach Kafka (consumers treat an order delete as covering its lines).
    await tdb.prisma().orderItem.delete({ where: { id: item.id } });
    await tdb.prisma().order.delete({ where: { id: order.id } });
    const id = Number(order.id);
    const msgs = await reader.until(
      (m) =>
        orders(m).some((e) => e.kind === 'tombstone' && e.key.id === id) &&
        items(m).some((e) => e.kind === 'tombstone' && e.key.id === Number(item.id)),
    );
    const forOrder = orders(msgs).filter(
      (e) =>
        ('after' in e && e.after.id === id) ||
        ('before' in e && e.before?.id === id) ||
        (e.kind === 'tombstone' && e.key.id === id),
    );
    expect(forOrder.map((e) => e.kind)).toEqual(['create', 'delete', 'tombstone']);
    const del = forOrder[1]!;
    if (del.kind === 'delete') expect(del.before).toMatchObject({ id, userId, status: 'placed' });
  });

  it('kcat, a Kafka client that is not ours, reads the same events', async () => {
    const topic = cdc.topics.orders.name;
    const ours = reader.messages.filter((m) => m.topic === topic);
    const { stdout } = await run('kcat', [
      '-b',
      kafkaBrokers(inject('stack'))[0]!,
      '-C',
      '-t',
      topic,
      '-o',
      'beginning',
      '-e',
      '-q',
      '-J',
    ]);
    const theirs = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { partition: number; offset: number; payload: string | null });
    expect(theirs.length).toBe(ours.length);
    const byPos = new Map(ours.map((m) => [`${m.partition}:${m.offset}`, m.value?.toString('utf8') ?? null]));
    for (const t of theirs) expect(t.payload).toBe(byPos.get(`${t.partition}:${t.offset}`));
  });
});
