import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../core/wait-for.ts';
import { createFeatureScenario, type FeatureScenario } from '../../e2e/harness/feature-scenario.ts';
import { freePort } from '../../e2e/harness/free-port.ts';
import { startTcpProxy, type TcpProxy } from '../../e2e/harness/tcp-proxy.ts';
import { silentLogger } from '../../core/logger.ts';
import { startFeatureConsumer, type RunningFeatureConsumer } from './app.ts';

describe('feature store database down', () => {
  let sc: FeatureScenario;
  let proxy: TcpProxy;
  let running: RunningFeatureConsumer;
  let metricsPort: number;

  beforeAll(async () => {
    sc = await createFeatureScenario();
    proxy = await startTcpProxy(sc.store.db.port);
    metricsPort = await freePort();
    const config = sc.config({ store: { ...sc.store.db, port: proxy.port }, metricsPort, dbQueryTimeoutMs: 2_000 });
    running = await startFeatureConsumer(config, silentLogger);
  });
  afterAll(async () => {
    proxy?.restore();
    await running?.stop();
    await proxy?.close();
    await sc?.cleanup();
  });

  const orderCount = async (user: number) => {
    const [r] = await sc.store.pool.query('SELECT features FROM user_features WHERE user_id = ?', [user]);
    const row = (r as { features: string }[])[0];
    return row ? (JSON.parse(row.features) as { orderCount: number; lineCount: number }) : undefined;
  };

  it('retries with backoff while the store is unreachable and applies every event once it is back', async () => {
    const user = await sc.addUser('gil');
    await waitFor(async () => (await orderCount(user)) !== undefined, { timeoutMs: 20_000, what: 'first features' });
    proxy.cut();
    for (let i = 0; i < 5; i++)
      await sc.placeOrder(user, [
        ['TEE', 1],
        ['PEN', 2],
      ]);
    const metrics = async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    await waitFor(async () => /features_transient_retries_total (\d+)/.exec(await metrics())?.[1] !== '0', {
      timeoutMs: 20_000,
      what: 'a transient retry to be counted',
    });
    expect((await orderCount(user))?.orderCount).toBe(0);
    proxy.restore();
    const f = await waitFor(
      async () => {
        const x = await orderCount(user);
        return x?.lineCount === 10 && x;
      },
      { timeoutMs: 30_000, intervalMs: 50, what: 'all five orders after the outage' },
    );
    expect(f.orderCount).toBe(5);
    const text = await metrics();
    expect(text).toMatch(/features_events_applied_total\{topic="[^"]+orders"\} \d+/);
    expect(text).toMatch(/features_consumer_lag\{/);
    expect(text).toMatch(/features_dlq_total|features_batch_seconds_bucket/);
  });

  it('a store that hangs instead of refusing: statements time out, are retried, and all events arrive', async () => {
    const user = await sc.addUser('hana');
    await waitFor(async () => (await orderCount(user)) !== undefined, { timeoutMs: 20_000, what: 'first features' });
    const retries = async () =>
      Number(
        /features_transient_retries_total (\d+)/.exec(
          await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text(),
        )?.[1] ?? 0,
      );
    const before = await retries();
    proxy.blackhole();
    await sc.placeOrder(user, [['CAP', 1]]);
    await sc.placeOrder(user, [['PEN', 3]]);
    await waitFor(async () => (await retries()) > before + 1, {
      timeoutMs: 30_000,
      what: 'statements to time out and be retried',
    });
    expect((await orderCount(user))?.orderCount).toBe(0);
    proxy.restore();
    await waitFor(async () => (await orderCount(user))?.lineCount === 2, {
      timeoutMs: 40_000,
      what: 'both orders after the hang',
    });
  });
});
