import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitFor } from '../../core/wait-for.ts';
import { silentLogger } from '../../core/logger.ts';
import { createFeatureScenario, type FeatureScenario } from '../../e2e/harness/feature-scenario.ts';
import { freePort } from '../../e2e/harness/free-port.ts';
import { placeOrderAsRoot } from '../../e2e/harness/root-shop.ts';
import { readTopics, type TopicReader } from '../../e2e/harness/topic-reader.ts';
import { rootConnection } from '../../stack/mariadb.ts';
import { dlqTopicName } from '../../streams/topic.ts';
import { startFeatureConsumer, type RunningFeatureConsumer } from './app.ts';
import type { FeatureConsumerConfig } from './config.ts';

describe('store faults are waited out, never dead-lettered', () => {
  let sc: FeatureScenario;
  let running: RunningFeatureConsumer;
  let dlq: TopicReader;
  let metricsPort: number;
  let config: FeatureConsumerConfig;

  beforeAll(async () => {
    sc = await createFeatureScenario();
    metricsPort = await freePort();
    config = sc.config({ metricsPort });
    running = await startFeatureConsumer(config, silentLogger);
    dlq = await readTopics(
      config.brokers,
      Object.values(sc.cdc.topics).map((t) => dlqTopicName(t.name)),
    );
  });
  afterAll(async () => {
    await dlq?.close();
    await running?.stop();
    await sc?.cleanup();
  });

  const lines = async (user: number) => {
    const [r] = await sc.store.pool.query('SELECT features FROM user_features WHERE user_id = ?', [user]);
    const row = (r as { features: string }[])[0];
    return row ? (JSON.parse(row.features) as { lineCount: number }).lineCount : undefined;
  };
  const retries = async () => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    return Number(/features_transient_retries_total (\d+)/.exec(text)?.[1] ?? 0);
  };

  it('a read-only store: events wait, nothing is dead-lettered, all are applied once it is writable', async () => {
    const user = await sc.addUser('rho');
    await waitFor(async () => (await lines(user)) === 0, { timeoutMs: 20_000, what: 'first features' });
    const root = await rootConnection(inject('stack'));
    const before = await retries();
    try {
      await root.query('SET GLOBAL read_only = 1');
      for (let i = 0; i < 5; i++)
        await placeOrderAsRoot(root, sc.shop.name, user, [
          [sc.productIds.TEE!, 1, '19.99'],
          [sc.productIds.PEN!, 2, '3.77'],
        ]);
      await waitFor(async () => (await retries()) > before + 2, { timeoutMs: 20_000, what: 'retries while read-only' });
      expect(await lines(user)).toBe(0);
    } finally {
      await root.query('SET GLOBAL read_only = 0');
      await root.end();
    }
    await waitFor(async () => (await lines(user)) === 10, { timeoutMs: 30_000, what: 'all ten lines after the fault' });
    expect(dlq.messages.map((m) => `${m.topic} ${m.headers['dlq.reason']}`)).toEqual([]);
  });

  it('a dropped table stops the consumer loudly, unhealthy and without committing', async () => {
    const user = await sc.addUser('tau');
    await waitFor(async () => (await lines(user)) === 0, { timeoutMs: 20_000, what: 'first features' });
    const root = await rootConnection(inject('stack'));
    const rename = (a: string, b: string) =>
      root.query(`RENAME TABLE \`${sc.store.name}\`.${a} TO \`${sc.store.name}\`.${b}`);
    try {
      await rename('fs_order_items', 'fs_order_items_away');
      await sc.placeOrder(user, [['CAP', 3]]);
      await expect(running.crashed).rejects.toThrow(/stopped/);
      const health = await fetch(`http://127.0.0.1:${metricsPort}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.text()).toMatch(/crashed/);
    } finally {
      await rename('fs_order_items_away', 'fs_order_items');
      await root.end();
    }
    await running.stop();
    running = await startFeatureConsumer({ ...config, metricsPort: 0 }, silentLogger);
    await waitFor(async () => (await lines(user)) === 1, { timeoutMs: 30_000, what: 'the line, redelivered' });
    expect(dlq.messages.map((m) => `${m.topic} ${m.headers['dlq.reason']}`)).toEqual([]);
  });
});
