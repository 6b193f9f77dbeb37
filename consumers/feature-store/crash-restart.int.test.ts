import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitFor } from '../../core/wait-for.ts';
import { createFeatureScenario, type FeatureScenario } from '../../e2e/harness/feature-scenario.ts';
import { featureAppEnv } from '../../e2e/harness/feature-app-env.ts';
import { freePort } from '../../e2e/harness/free-port.ts';
import { appRestarts, startApp, stopApp } from '../../stack/apps.ts';
import { rootConnection } from '../../stack/mariadb.ts';
import { appsStatus } from '../../stack/stack.ts';

describe('a feature consumer that stops working exits, and the stack restarts it', () => {
  const stack = inject('stack');
  let sc: FeatureScenario;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    sc = await createFeatureScenario();
    env = featureAppEnv(sc.config({ metricsPort: await freePort() }), sc.shop.db);
    await startApp(stack, 'features', env);
  });
  afterAll(async () => {
    await stopApp(stack, 'features');
    await sc?.cleanup();
  });

  const lines = async (user: number) => {
    const [r] = await sc.store.pool.query('SELECT features FROM user_features WHERE user_id = ?', [user]);
    const row = (r as { features: string }[])[0];
    return row ? (JSON.parse(row.features) as { lineCount: number }).lineCount : undefined;
  };
  const renameOrders = async (from: string, to: string) => {
    const root = await rootConnection(stack);
    try {
      await root.query(`RENAME TABLE \`${sc.store.name}\`.${from} TO \`${sc.store.name}\`.${to}`);
    } finally {
      await root.end();
    }
  };

  it('a dropped table crashes the consumer, the process exits and is restarted until the table is back', async () => {
    const user = await sc.addUser('kai');
    await waitFor(async () => (await lines(user)) === 0, { timeoutMs: 30_000, what: 'first features' });
    await renameOrders('fs_orders', 'fs_orders_away');
    try {
      await sc.placeOrder(user, [['TEE', 1]]);
      await waitFor(async () => (appRestarts(stack, 'features')?.restarts ?? 0) >= 2, {
        timeoutMs: 60_000,
        what: 'two restarts by the supervisor',
      });
      expect(appRestarts(stack, 'features')?.lastExit?.code).toBe(1);
      expect(await lines(user)).toBe(0);
    } finally {
      await renameOrders('fs_orders_away', 'fs_orders');
    }
    await waitFor(async () => (await lines(user)) === 1, {
      timeoutMs: 60_000,
      what: 'the order after the table is back',
    });
    const [row] = (await appsStatus(stack, env)).filter((a) => a.app === 'features');
    expect(row!.detail).toMatch(/restarts [2-9]\d* \(last exit code 1/);
  });
});
