import { Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../core/wait-for.ts';
import { createKafka } from '../../core/kafka.ts';
import { silentLogger } from '../../core/logger.ts';
import { createFeatureScenario, type FeatureScenario } from '../../e2e/harness/feature-scenario.ts';
import { injectProducerFaults, type ProducerFaults } from '../../e2e/harness/faulty-producer.ts';
import { readTopics, type TopicReader } from '../../e2e/harness/topic-reader.ts';
import { startFeatureConsumer, type RunningFeatureConsumer } from './app.ts';

describe('features.user.v1 ends where the store ends', () => {
  let sc: FeatureScenario;
  let running: RunningFeatureConsumer;
  let published: TopicReader;
  let faults: ProducerFaults;

  beforeAll(async () => {
    sc = await createFeatureScenario();
    const config = sc.config({ pendingGraceMs: 60_000 });
    running = await startFeatureConsumer(config, silentLogger);
    faults = injectProducerFaults(running.consumer.producer, config.featuresTopic);
    published = await readTopics(config.brokers, [config.featuresTopic]);
  });
  afterAll(async () => {
    await published?.close();
    await running?.stop();
    await sc?.cleanup();
  });

  const storeRows = async () => {
    const [r] = await sc.store.pool.query('SELECT user_id, features FROM user_features ORDER BY user_id');
    return new Map((r as { user_id: number; features: string }[]).map((x) => [String(x.user_id), x.features]));
  };
  const lastOnTopic = () => {
    const last = new Map<string, string | null>();
    for (const m of published.messages) last.set(m.key!.toString(), m.value?.toString() ?? null);
    return last;
  };
  const mismatches = async () => {
    const store = await storeRows();
    const topic = lastOnTopic();
    const keys = new Set([...store.keys(), ...topic.keys()]);
    return [...keys].filter((k) => (store.get(k) ?? null) !== (topic.get(k) ?? null));
  };

  /** Debezium-shaped events at binlog positions after anything real, so the newer-wins guard applies them. */
  const env = (table: string, after: Record<string, unknown>, before: Record<string, unknown> | null = null) =>
    JSON.stringify({
      before,
      after,
      op: before ? 'u' : 'c',
      ts_ms: Date.now(),
      source: { ts_ms: Date.now(), db: sc.shop.name, table, file: 'mariadb-bin.999999', pos: ++pos, row: 0 },
    });
  let pos = 1_000;

  it('after slow and failed publishes, the last value per shopper on the topic equals the store', async () => {
    const users: number[] = [];
    for (let i = 0; i < 4; i++) users.push(await sc.addUser(`pub${i}`));
    await waitFor(async () => (await storeRows()).size === users.length && (await mismatches()).length === 0, {
      timeoutMs: 30_000,
      what: 'first features published',
    });
    const kafka = createKafka({ clientId: 'publish-order', brokers: sc.config().brokers });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      for (const [i, u] of users.entries()) {
        // Two chunks recompute this shopper at once (its order, its profile): the first to
        // commit is the older value, and its publish is slow, or its ack lost.
        if (i % 2) faults.failOnce([String(u)]);
        else faults.slowOnce([String(u)], 1_500);
        const user = { id: u, nickname: `pub${i}`, gender: 'F', joined_at: Date.now() - 1e9, tenure_months: 10 };
        await producer.sendBatch({
          topicMessages: [
            {
              topic: sc.cdc.topics.orders.name,
              messages: [
                {
                  key: JSON.stringify({ id: 950_000 + i }),
                  value: env('orders', {
                    id: 950_000 + i,
                    user_id: u,
                    status: 'paid',
                    coupon_status: 'used',
                    coupon_id: null,
                    delivery_charge: '2.00',
                    placed_at: Date.now() - 1000,
                  }),
                },
              ],
            },
            {
              topic: sc.cdc.topics.users.name,
              messages: [
                {
                  key: JSON.stringify({ id: u }),
                  value: env('users', { ...user, region: 'Seoul' }, { ...user, region: 'Chicago' }),
                },
              ],
            },
          ],
        });
        await waitFor(
          async () => {
            const f = JSON.parse((await storeRows()).get(String(u)) ?? '{}');
            return f.orderCount === 1 && f.region === 'Seoul';
          },
          { timeoutMs: 20_000, what: `shopper ${u}'s order and region in the store` },
        );
      }
    } finally {
      await producer.disconnect();
    }
    await waitFor(async () => (await mismatches()).length === 0, {
      timeoutMs: 15_000,
      what: 'the topic to end where the store does',
    }).catch(async (err) => {
      expect(await mismatches(), String(err)).toEqual([]);
    });
  });
});
