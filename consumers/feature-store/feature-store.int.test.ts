import { createKafka } from '../../core/kafka.ts';
import { Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../core/wait-for.ts';
import { createFeatureScenario, type FeatureScenario } from '../../e2e/harness/feature-scenario.ts';
import { readTopics, type TopicReader } from '../../e2e/harness/topic-reader.ts';
import { createCategoryMap } from '../../features/category-map.ts';
import { silentLogger } from '../../core/logger.ts';
import type { UserFeatures } from '../../streams/features/user-features.ts';
import { dlqTopicName } from '../../streams/topic.ts';
import { startFeatureConsumer, type RunningFeatureConsumer } from './app.ts';

const cats = createCategoryMap();
const idx = (raw: string) => cats.modelIndexOfRaw(raw);

describe('feature store kept current from the CDC stream', () => {
  let sc: FeatureScenario;
  let running: RunningFeatureConsumer;
  let published: TopicReader;

  beforeAll(async () => {
    sc = await createFeatureScenario();
    // A new order waits up to 3 s for its lines here (200 ms live): wide enough that a busy test
    // machine still applies the lines inside it, so the once-with-its-lines test below holds
    // (1 s was once too short with the whole int suite running side by side).
    const config = sc.config({ pendingGraceMs: 1_500, awaitLinesMs: 3_000 });
    running = await startFeatureConsumer(config, silentLogger);
    published = await readTopics(config.brokers, [config.featuresTopic]);
  });
  afterAll(async () => {
    await published?.close();
    await running?.stop();
    await sc?.cleanup();
  });

  const features = async (userId: number): Promise<UserFeatures | undefined> => {
    const [r] = await sc.store.pool.query('SELECT features FROM user_features WHERE user_id = ?', [userId]);
    const row = (r as { features: string }[])[0];
    return row ? (JSON.parse(row.features) as UserFeatures) : undefined;
  };
  const until = (userId: number, ok: (f: UserFeatures | undefined) => boolean, timeoutMs = 10_000) =>
    waitFor(
      async () => {
        const f = await features(userId);
        return ok(f) && (f ?? null);
      },
      { timeoutMs, intervalMs: 20, what: `features of user ${userId}` },
    );

  it('an order shows up in the shopper features within 2 s', async () => {
    const user = await sc.addUser('ara');
    await until(user, (f) => f?.orderCount === 0);
    const t0 = Date.now();
    await sc.placeOrder(user, [
      ['TEE', 2],
      ['THERMO', 1],
    ]);
    const f = await until(user, (x) => x?.orderCount === 1 && x.lineCount === 2, 2_000);
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(f!.catCounts[idx('Apparel')]).toBe(1);
    expect(f!.catCounts[idx('Nest-USA')]).toBe(1);
    expect(f!.totalSpend).toBeCloseTo(2 * 19.99 + 124.33, 6);
    expect(f!.gender).toBe('F');
  });

  it('a cancellation removes the order contribution; a refund too', async () => {
    const user = await sc.addUser('bo', 'M', 'New York');
    const o1 = await sc.placeOrder(user, [['CAP', 1]]);
    const o2 = await sc.placeOrder(user, [['PEN', 5]]);
    await until(user, (f) => f?.orderCount === 2 && f.lineCount === 2);
    await sc.shop.pool.query("UPDATE orders SET status = 'cancelled', updated_at = NOW(3) WHERE id = ?", [o1]);
    const f = await until(user, (x) => x?.orderCount === 1);
    expect(f!.catCounts[idx('Headgear')]).toBe(0);
    expect(f!.catCounts[idx('Office')]).toBe(1);
    await sc.shop.pool.query("UPDATE orders SET status = 'refunded', updated_at = NOW(3) WHERE id = ?", [o2]);
    const g = await until(user, (x) => x?.orderCount === 0);
    expect(g!.totalSpend).toBe(0);
  });

  it('an order and its lines, applied from two topics, are published once, with the lines', async () => {
    const user = await sc.addUser('gus');
    await until(user, (f) => f?.orderCount === 0);
    await sc.placeOrder(user, [
      ['TEE', 1],
      ['PEN', 2],
    ]);
    const ofUser = (m: { key: Buffer | null; value: Buffer | null }[]) =>
      m.filter((x) => x.key?.toString() === String(user)).map((x) => JSON.parse(x.value!.toString()) as UserFeatures);
    const msgs = await published.until((m) => ofUser(m).some((f) => f.orderCount === 1));
    // No message of the order without its lines: the order's own recompute waited for them.
    expect(ofUser(msgs).filter((f) => f.orderCount === 1)[0]).toMatchObject({ lineCount: 2 });
  });

  it('an order whose lines never come is counted once it stops waiting for them', async () => {
    const user = await sc.addUser('hal');
    await until(user, (f) => f?.orderCount === 0);
    await sc.shop.pool.query(
      "INSERT INTO orders (user_id, status, coupon_status, delivery_charge, placed_at) VALUES (?, 'paid', NULL, 4.00, NOW(3))",
      [user],
    );
    const f = await until(user, (x) => x?.orderCount === 1);
    expect(f).toMatchObject({ lineCount: 0, deliveryChargeMax: 4 });
  });

  it('publishes every change to the compacted features topic, keyed by user', async () => {
    const user = await sc.addUser('cy');
    await sc.placeOrder(user, [['TEE', 1]]);
    const msgs = await published.until((m) =>
      m.some((x) => x.key?.toString() === String(user) && JSON.parse(x.value!.toString()).orderCount === 1),
    );
    const last = msgs.filter((m) => m.key?.toString() === String(user)).at(-1)!;
    expect(JSON.parse(last.value!.toString())).toMatchObject({ userId: user, orderCount: 1 });
    expect(last.value!.toString()).toContain('"sourceTs"');
  });

  it("a deleted order moves the features' sourceTs forward, so the recommendation after it wins", async () => {
    const user = await sc.addUser('ida');
    await sc.placeOrder(user, [['PEN', 1]]);
    const o2 = await sc.placeOrder(user, [['CAP', 1]]);
    const before = (await until(user, (f) => f?.orderCount === 2))!;
    // Binlog times are whole seconds: delete in a later second than the newest change so far.
    await waitFor(async () => Date.now() >= Date.parse(before.sourceTs) + 1_000, {
      timeoutMs: 5_000,
      what: 'a new second',
    });
    await sc.shop.pool.query('DELETE FROM order_items WHERE order_id = ?', [o2]);
    await sc.shop.pool.query('DELETE FROM orders WHERE id = ?', [o2]);
    const after = (await until(user, (f) => f?.orderCount === 1))!;
    expect(Date.parse(after.sourceTs)).toBeGreaterThan(Date.parse(before.sourceTs));
    expect(Date.parse(after.asOf)).toBeGreaterThanOrEqual(Date.parse(after.sourceTs));
  });

  it("a deleted shopper's features are deleted and tombstoned", async () => {
    const user = await sc.addUser('dee');
    await sc.placeOrder(user, [['PEN', 1]]);
    await until(user, (f) => f?.lineCount === 1);
    await sc.shop.pool.query('DELETE FROM order_items WHERE order_id IN (SELECT id FROM orders WHERE user_id = ?)', [
      user,
    ]);
    await sc.shop.pool.query('DELETE FROM orders WHERE user_id = ?', [user]);
    await sc.shop.pool.query('DELETE FROM users WHERE id = ?', [user]);
    await until(user, (f) => f === undefined);
    await published.until((m) => m.some((x) => x.key?.toString() === String(user) && x.value === null));
  });

  it('a changed product category moves only later contributions', async () => {
    const user = await sc.addUser('eun');
    await sc.placeOrder(user, [['CAP', 1]]);
    await until(user, (f) => f?.lineCount === 1);
    await sc.shop.pool.query('UPDATE products SET category_id = ? WHERE id = ?', [
      sc.categoryIds.Office,
      sc.productIds.CAP,
    ]);
    await sc.placeOrder(user, [['CAP', 1]]);
    // The new line may be applied before the product change is read; wait for the settled state.
    const f = await until(user, (x) => x?.lineCount === 2 && x.catCounts[idx('Office')] === 1);
    expect(f!.catCounts[idx('Headgear')]).toBe(1);
    expect(f!.catCounts[idx('Office')]).toBe(1);
  });

  it('poison messages go to the DLQ with reasons; good events around them are applied', async () => {
    const config = sc.config();
    const kafka = createKafka({ clientId: 'poison', brokers: config.brokers });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const user = await sc.addUser('fai');
    await until(user, (f) => f?.orderCount === 0);
    await sc.placeOrder(user, [['TEE', 1]]);
    await until(user, (f) => f?.lineCount === 1);
    const src = {
      version: '3.2.0.Final',
      connector: 'mariadb',
      name: 'x',
      ts_ms: Date.now(),
      db: sc.shop.name,
      table: 'orders',
      file: 'mariadb-bin.000001',
      pos: 4,
      row: 0,
    };
    const orderEnv = (after: Record<string, unknown>) =>
      JSON.stringify({ before: null, after, source: src, op: 'c', ts_ms: Date.now() });
    const goodAfter = {
      id: 900001,
      user_id: user,
      status: 'paid',
      coupon_status: 'used',
      coupon_id: null,
      delivery_charge: '1.00',
      placed_at: Date.now() - 1000,
    };
    const itemEnv = (after: Record<string, unknown>) =>
      JSON.stringify({ before: null, after, source: { ...src, table: 'order_items' }, op: 'c', ts_ms: Date.now() });
    await producer.send({
      topic: sc.cdc.topics.orders.name,
      messages: [
        { key: '{"id":900000}', value: 'this is not json' },
        { key: '{"id":900002}', value: JSON.stringify({ hello: 'world' }) },
        { key: '{"id":900003}', value: orderEnv({ ...goodAfter, id: 900003, user_id: 987654 }) },
        { key: '{"id":900001}', value: orderEnv(goodAfter) },
      ],
    });
    await producer.send({
      topic: sc.cdc.topics.orderItems.name,
      messages: [
        {
          key: '{"id":900010}',
          value: itemEnv({
            id: 900010,
            order_id: 900001,
            product_id: sc.productIds.PEN,
            quantity: -3,
            unit_price: '3.77',
          }),
        },
        {
          key: '{"id":900011}',
          value: itemEnv({
            id: 900011,
            order_id: 900001,
            product_id: sc.productIds.PEN,
            quantity: 5_000_000,
            unit_price: '3.77',
          }),
        },
        {
          key: '{"id":900012}',
          value: itemEnv({
            id: 900012,
            order_id: 900001,
            product_id: sc.productIds.PEN,
            quantity: 2,
            unit_price: '3.77',
          }),
        },
      ],
    });
    await producer.disconnect();
    const f = await until(user, (x) => x?.orderCount === 2 && x.lineCount === 2);
    expect(f!.catCounts[idx('Office')]).toBe(1);
    expect(f!.lineCount).toBe(2);
    const dlq = await readTopics(config.brokers, [
      dlqTopicName(sc.cdc.topics.orders.name),
      dlqTopicName(sc.cdc.topics.orderItems.name),
    ]);
    try {
      const msgs = await dlq.until((m) => m.length >= 5, 20_000);
      const reasons = Object.fromEntries(msgs.map((m) => [m.key!.toString(), m.headers['dlq.reason']]));
      const described = msgs.map((m) => `${m.topic} ${m.key} ${m.headers['dlq.reason']}`).sort();
      expect(described.filter((d) => !/ \{"id":9000/.test(d))).toEqual([]);
      expect(Object.keys(reasons).sort()).toEqual([
        '{"id":900000}',
        '{"id":900002}',
        '{"id":900003}',
        '{"id":900010}',
        '{"id":900011}',
      ]);
      expect(reasons['{"id":900000}']).toMatch(/not JSON/);
      expect(reasons['{"id":900002}']).toMatch(/value\.op/);
      expect(reasons['{"id":900003}']).toMatch(/unknown user 987654/);
      expect(reasons['{"id":900010}']).toMatch(/quantity: must be positive/);
      expect(reasons['{"id":900011}']).toMatch(/absurd quantity/);
      const first = msgs.find((m) => m.key!.toString() === '{"id":900000}')!;
      expect(first.headers).toMatchObject({
        'dlq.topic': sc.cdc.topics.orders.name,
        'dlq.error.class': 'ValidationError',
      });
      expect(msgs.find((m) => m.key!.toString() === '{"id":900000}')!.value!.toString()).toBe('this is not json');
    } finally {
      await dlq.close();
    }
  });

  it('a burst of large poison messages reaches the DLQ in sends below the broker limit', async () => {
    const config = sc.config();
    const kafka = createKafka({ clientId: 'poison-burst', brokers: config.brokers });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const big = 'not json '.repeat(50_000);
    // One key: one partition, so the consumer gets them in one chunk (3.6 MB, over 1 MB).
    for (let i = 0; i < 8; i++)
      await producer.send({ topic: sc.cdc.topics.orders.name, messages: [{ key: '{"id":910000}', value: big }] });
    await producer.disconnect();
    const user = await sc.addUser('gus');
    await sc.placeOrder(user, [['PEN', 1]]);
    await until(user, (f) => f?.lineCount === 1, 30_000);
    const dlq = await readTopics(config.brokers, [dlqTopicName(sc.cdc.topics.orders.name)]);
    try {
      const msgs = await dlq.until((m) => m.filter((x) => x.key?.toString() === '{"id":910000}').length >= 8, 30_000);
      const burst = msgs.filter((x) => x.key?.toString() === '{"id":910000}');
      expect(new Set(burst.map((m) => m.headers['dlq.offset'])).size).toBe(8);
      expect(burst.every((m) => m.value?.length === big.length)).toBe(true);
    } finally {
      await dlq.close();
    }
  });
});
