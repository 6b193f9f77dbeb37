import { createKafka } from '../../core/kafka.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import type { ResultSetHeader } from 'mysql2';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../core/wait-for.ts';
import { createFeatureScenario, type FeatureScenario } from '../../e2e/harness/feature-scenario.ts';
import { dumpStore, waitCaughtUp } from '../../e2e/harness/feature-checks.ts';
import { createTestDatabase } from '../../e2e/harness/test-database.ts';
import { createCategoryMap } from '../../features/category-map.ts';
import { silentLogger } from '../../core/logger.ts';
import type { FeatureConsumerConfig } from './config.ts';
import { FEATURE_MIGRATIONS } from './feature-migrations.ts';
import { featuresAt } from './features-at.ts';
import { replayFeatures } from './replay.ts';

const cats = createCategoryMap();

/** A consumer in its own OS process, configured by env alone, as `npm run features -- run` would be. */
function spawnConsumer(config: FeatureConsumerConfig): ChildProcess {
  const env = {
    ...process.env,
    KAFKA_BROKERS: config.brokers.join(','),
    LOG_LEVEL: 'warn',
    DATABASE_URL: `mysql://${config.store.user}:${config.store.password}@${config.store.host}:${config.store.port}/${config.cdc.database}`,
    FEATURES_DATABASE_URL: `mysql://${config.store.user}:${config.store.password}@${config.store.host}:${config.store.port}/${config.store.database}`,
    CDC_TOPIC_PREFIX: config.cdc.prefix,
    CDC_DATABASE: config.cdc.database,
    FEATURES_GROUP_ID: config.groupId,
    FEATURES_TOPIC: config.featuresTopic,
    FEATURES_METRICS_PORT: '0',
    FEATURES_CONCURRENCY: '2',
    FEATURES_SESSION_TIMEOUT_MS: String(config.sessionTimeoutMs),
  };
  return spawn(process.execPath, ['--import', 'tsx', 'consumers/feature-store/main.ts'], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const exited = (c: ChildProcess) =>
  new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));

describe('crash, scale-out and replay', () => {
  let sc: FeatureScenario;
  let admin: Admin;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    sc = await createFeatureScenario();
    admin = createKafka({ clientId: 't', brokers: sc.config().brokers }).admin();
    await admin.connect();
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await admin?.disconnect();
    await sc?.cleanup();
  });

  /** 60 shoppers, 1,500 orders of 2 lines in large transactions, then cancellations and a category move. */
  async function writeShop(): Promise<number[]> {
    const users: number[] = [];
    for (let i = 0; i < 60; i++)
      users.push(await sc.addUser(`u${i}`, i % 3 ? 'F' : 'M', ['Chicago', 'New York', 'California'][i % 3]));
    const skus = Object.values(sc.productIds);
    for (let batch = 0; batch < 3; batch++) {
      const conn = await sc.shop.pool.getConnection();
      await conn.beginTransaction();
      for (let k = 0; k < 500; k++) {
        const n = batch * 500 + k;
        const [o] = await conn.query<ResultSetHeader>(
          "INSERT INTO orders (user_id, status, coupon_status, delivery_charge, placed_at) VALUES (?, 'paid', ?, ?, ?)",
          [
            users[n % users.length],
            ['used', 'clicked', 'not_used'][n % 3],
            (n % 7) + 0.5,
            new Date(Date.UTC(2019, Math.floor(n / 60) % 12, 1 + (n % 28))),
          ],
        );
        await conn.query('INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES ?', [
          [
            [o.insertId, skus[n % skus.length], 1 + (n % 4), '9.99'],
            [o.insertId, skus[(n + 1) % skus.length], 1, '4.50'],
          ],
        ]);
      }
      await conn.commit();
      conn.release();
    }
    await sc.shop.pool.query("UPDATE orders SET status = 'cancelled', updated_at = NOW(3) WHERE id % 10 = 0");
    await sc.shop.pool.query('UPDATE products SET category_id = ? WHERE id = ?', [
      sc.categoryIds.Office,
      sc.productIds.TEE,
    ]);
    return users;
  }

  it('kill -9 of one of two instances mid-batch, then restart: same state as a clean replay', async () => {
    const config = sc.config();
    children.push(spawnConsumer(config), spawnConsumer(config));
    const users = await writeShop();
    const count = async () =>
      Number(((await sc.store.pool.query('SELECT COUNT(*) AS n FROM fs_orders'))[0] as { n: number }[])[0]!.n);
    await waitFor(async () => (await count()) > 100, {
      timeoutMs: 60_000,
      intervalMs: 10,
      what: 'the consumers to be mid-stream',
    });
    const victim = children[0]!;
    victim.kill('SIGKILL');
    await exited(victim);
    expect(await count()).toBeLessThan(1_500);
    await waitFor(async () => (await count()) === 1_500, {
      timeoutMs: 60_000,
      intervalMs: 50,
      what: 'the survivor to take over',
    });
    children.push(spawnConsumer(config));
    const late = await sc.addUser('after-restart');
    // Group lag alone can read 0 before Debezium has put this shopper on Kafka at all.
    const hasFeatures = async () =>
      ((await sc.store.pool.query('SELECT 1 FROM user_features WHERE user_id = ?', [late]))[0] as unknown[]).length ===
      1;
    await waitFor(hasFeatures, {
      timeoutMs: 60_000,
      intervalMs: 50,
      what: 'the restarted group to apply a new shopper',
    });
    await waitCaughtUp(admin, config.groupId, sc.cdc.topics, sc.store.pool);

    const fresh = await createTestDatabase({ prefix: 'fsr', migrationsDir: FEATURE_MIGRATIONS });
    try {
      const result = await replayFeatures({
        config,
        into: 'fresh',
        freshDatabase: fresh.name,
        from: { kind: 'beginning' },
        logger: silentLogger,
        numCategories: cats.model.length,
        modelIndexOf: (n) => cats.modelIndexOfRaw(n),
      });
      expect(result.users).toBe(users.length + 1);
      expect(result.rejected).toBe(0);
      const [live, replayed] = [await dumpStore(sc.store.pool), await dumpStore(fresh.pool)];
      expect(live.fs_orders).toHaveLength(1_500);
      expect(live.user_features).toHaveLength(users.length + 1);
      expect(replayed).toEqual(live);
    } finally {
      await fresh.drop();
    }
  });

  it('answers what a shopper looked like at a time, by event time', async () => {
    const [r] = await sc.shop.pool.query('SELECT user_id FROM orders GROUP BY user_id ORDER BY user_id LIMIT 1');
    const user = (r as { user_id: number }[])[0]!.user_id;
    const midyear = await featuresAt(sc.store.pool, user, new Date('2019-07-01T00:00:00Z'), cats.model.length);
    const end = await featuresAt(sc.store.pool, user, new Date('2020-01-01T00:00:00Z'), cats.model.length);
    const [o] = await sc.shop.pool.query(
      "SELECT COUNT(*) AS n FROM orders WHERE user_id = ? AND placed_at < '2019-07-01' AND status = 'paid'",
      [user],
    );
    expect(midyear.orderCount).toBe(Number((o as { n: number }[])[0]!.n));
    expect(end.orderCount).toBeGreaterThan(midyear.orderCount);
    expect(midyear.asOf).toBe('2019-07-01T00:00:00.000Z');
  });
});
