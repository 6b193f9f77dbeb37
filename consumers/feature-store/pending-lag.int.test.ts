import { randomBytes } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka } from '../../core/kafka.ts';
import { waitFor } from '../../core/wait-for.ts';
import { createFeatureScenario, type FeatureScenario } from '../../e2e/harness/feature-scenario.ts';
import type { Rejection } from '../shared/dlq.ts';
import { recordPending, sweepPending } from './pending.ts';
import { createTopicProgress, type TopicProgress } from './topic-progress.ts';

/** The grace before an unresolved reference is dead-lettered is counted in the consumer's progress. */
describe('pending references and consumer lag', () => {
  let sc: FeatureScenario;
  let admin: Admin;
  let progress: TopicProgress;
  const groupId = `features-lag-${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    sc = await createFeatureScenario();
    const kafka = createKafka({ clientId: 't', brokers: sc.config().brokers });
    admin = kafka.admin();
    await admin.connect();
    progress = createTopicProgress(kafka, groupId);
  });
  afterAll(async () => {
    await progress?.close();
    await admin?.disconnect();
    await sc?.cleanup();
  });

  it('a consumer that is behind on the delivering topic never dead-letters; once caught up, it does', async () => {
    const topics = {
      user: sc.cdc.topics.users.name,
      order: sc.cdc.topics.orders.name,
      product: sc.cdc.topics.products.name,
    };
    const orderId = await sc.placeOrder(await sc.addUser('lag'), [['TEE', 1]]);
    const orders = sc.cdc.topics.orders.name;
    // The order is on Kafka, but this group has not read it (it lags), as after an outage.
    const ends = await waitFor(
      async () => {
        const e = await admin.fetchTopicOffsets(orders);
        return e.some((p) => Number(p.high) > 0) && e;
      },
      { timeoutMs: 30_000, what: 'the order on its topic' },
    );
    const conn = await sc.store.pool.getConnection();
    try {
      const msg = {
        topic: sc.cdc.topics.orderItems.name,
        partition: 0,
        offset: '7',
        key: null,
        value: null,
        headers: {},
      };
      await recordPending(conn, [{ kind: 'order', id: orderId, msg }]);
    } finally {
      conn.release();
    }
    const sent: Rejection[] = [];
    const sweep = () =>
      sweepPending(sc.store.pool, { graceMs: 0, topics, progress }, async (r) => void sent.push(...r));

    // Wall-time grace long past (0 ms): before, this dead-lettered the line of an order still in the lag.
    expect(await sweep()).toBe(0);
    expect(await sweep()).toBe(0);
    expect(sent).toEqual([]);

    // The group reads past where the topic ended, and the order is still unknown: now it is dead.
    await admin.setOffsets({
      groupId,
      topic: orders,
      partitions: ends.map((e) => ({ partition: e.partition, offset: e.high })),
    });
    expect(await sweep()).toBe(1);
    expect(sent.map((r) => r.reason)).toEqual([
      expect.stringMatching(new RegExp(`unknown order ${orderId} .*${orders}`)),
    ]);
  });
});
