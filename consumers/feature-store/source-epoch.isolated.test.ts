import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitFor } from '../../core/wait-for.ts';
import { silentLogger } from '../../core/logger.ts';
import { createFeatureScenario, type FeatureScenario } from '../../e2e/harness/feature-scenario.ts';
import { freePort } from '../../e2e/harness/free-port.ts';
import { startScratchCdc, type TestCdc } from '../../e2e/harness/scratch-cdc.ts';
import {
  mariadbProcess,
  newBinlogGeneration,
  rootConnection,
  startMariadb,
  waitForMariadb,
} from '../../stack/mariadb.ts';
import { stopProcess } from '../../stack/processes.ts';
import { startFeatureConsumer, type RunningFeatureConsumer } from './app.ts';

/** The binlog starts again from its first position: a restore, a `RESET MASTER`, a failover. */
describe('binlog positions going backwards', () => {
  const stack = inject('stack');
  let sc: FeatureScenario;
  let running: RunningFeatureConsumer;
  let metricsPort: number;
  let prefix: string;
  let again: TestCdc | undefined;

  beforeAll(async () => {
    sc = await createFeatureScenario();
    metricsPort = await freePort();
    running = await startFeatureConsumer(sc.config({ metricsPort }), silentLogger);
    prefix = sc.cdc.topics.orders.name.split('.')[0]!;
  });
  afterAll(async () => {
    await again?.stop().catch(() => {});
    await running?.stop();
    await sc?.cleanup();
  });

  /** The shop's connector again, with fresh offsets on the same topics: it snapshots, then streams. */
  const resnapshot = async () => {
    await (again ?? sc.cdc).stop();
    again = await startScratchCdc(stack, sc.shop.name, prefix);
  };
  const region = async (user: number) => {
    const [r] = await sc.store.pool.query('SELECT region, src_pos FROM fs_users WHERE user_id = ?', [user]);
    return (r as { region: string; src_pos: string }[])[0];
  };
  const regressions = async () => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    return [...text.matchAll(/features_source_position_regressions_total\{[^}]*kind="position"[^}]*\} (\d+)/g)].reduce(
      (a, m) => a + Number(m[1]),
      0,
    );
  };
  /** Writes through the pool may meet a connection the restart killed: the pool drops it and the next try works. */
  const write = (sql: string, params: unknown[]) =>
    waitFor(async () => (await sc.shop.pool.query(sql, params), true), { timeoutMs: 20_000, what: sql });

  it('a new source epoch wins over the higher positions of the old one', async () => {
    const user = await sc.addUser('epoch');
    // Enough binlog that the old positions are well above where a new binlog starts.
    for (let i = 0; i < 20; i++) await write('UPDATE users SET region = ? WHERE id = ?', [`Old-${i}`, user]);
    await waitFor(async () => (await region(user))?.region === 'Old-19', { timeoutMs: 30_000, what: 'old region' });
    expect((await region(user))!.src_pos.startsWith('000000:')).toBe(true);

    await stopProcess(mariadbProcess(stack));
    expect(newBinlogGeneration(stack)).toBeGreaterThan(0);
    await startMariadb(stack, silentLogger);
    await waitForMariadb(stack);
    const root = await rootConnection(stack);
    const [b] = await root.query('SHOW BINARY LOGS');
    await root.end();
    expect((b as { Log_name: string }[]).every((l) => /-g\d+\.\d+$/.test(l.Log_name))).toBe(true);
    await resnapshot();
    await write('UPDATE users SET region = ? WHERE id = ?', ['New', user]);
    await waitFor(async () => (await region(user))?.region === 'New', {
      timeoutMs: 90_000,
      what: 'the change made after the restart to be applied',
    });
    expect((await region(user))!.src_pos).toMatch(/^0000\d[1-9]:/);
    expect(await regressions()).toBe(0);
  }, 400_000);

  it('a binlog reset within an epoch is alerted, not ignored silently', async () => {
    const user = await sc.addUser('reset');
    await waitFor(async () => (await region(user)) !== undefined, { timeoutMs: 120_000, what: 'the shopper' });
    const before = await regressions();
    // Snapshot reads carry the snapshot's time: make it later than every change seen so far.
    const second = Math.floor(Date.now() / 1000);
    await waitFor(async () => Math.floor(Date.now() / 1000) > second, { timeoutMs: 5_000, what: 'the next second' });
    const root = await rootConnection(stack);
    try {
      await root.query('RESET MASTER');
    } finally {
      await root.end();
    }
    await resnapshot();
    await waitFor(async () => (await regressions()) > before, {
      timeoutMs: 90_000,
      what: 'the regression counter to move',
    });
  }, 400_000);
});
