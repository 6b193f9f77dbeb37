import { rmSync } from 'node:fs';
import type { Logger } from '../core/logger.ts';
import { createConnectClient, type ConnectorStatus } from '../connect/connector.ts';
import { connectProcess, registerConnector, startConnect, waitForConnect } from './connect.ts';
import { ensureJars } from './jars.ts';
import { kafkaHealthy, kafkaProcess, startKafka, waitForKafka } from './kafka.ts';
import { bootstrapMariadb, mariadbProcess, rootConnection, startMariadb, waitForMariadb } from './mariadb.ts';
import { residentMiB, runningPid, stopProcess, treeResidentMiB, type ManagedProcess } from './processes.ts';
import { connectUrl, kafkaBrokers, kafkaNodes, type StackSettings } from './settings.ts';
import { APPS, appHealthy, appProcess, appRestarts, appUrl, stopApp } from './apps.ts';
import { describeRestarts } from './restart-counter.ts';

export type Component = 'mariadb' | 'kafka' | 'connect';
export const COMPONENTS: Component[] = ['mariadb', 'kafka', 'connect'];

export function processOf(s: StackSettings, c: Component): ManagedProcess {
  return c === 'mariadb' ? mariadbProcess(s) : c === 'kafka' ? kafkaProcess(s) : connectProcess(s);
}

export interface UpOptions {
  /** Register connect/shop-cdc.json (the dev stack does; the test stack registers per test). */
  registerShopConnector: boolean;
  onStep?: (step: string, ms: number) => void;
}

async function timed<T>(step: string, fn: () => Promise<T>, onStep?: UpOptions['onStep']): Promise<T> {
  const t0 = Date.now();
  const v = await fn();
  onStep?.(step, Date.now() - t0);
  return v;
}

/** Starts whatever is not running, in dependency order, waiting for each to be healthy. */
export async function stackUp(s: StackSettings, logger: Logger, opts: UpOptions): Promise<void> {
  const { onStep } = opts;
  await timed('jars', () => ensureJars(s, logger), onStep);
  await timed(
    'mariadb',
    async () => {
      if (!runningPid(mariadbProcess(s))) await startMariadb(s, logger);
      await waitForMariadb(s);
      await bootstrapMariadb(s, logger);
    },
    onStep,
  );
  await timed(
    'kafka',
    async () => {
      await startKafka(s, logger);
      await waitForKafka(s);
    },
    onStep,
  );
  await timed(
    'connect',
    async () => {
      if (!runningPid(connectProcess(s))) startConnect(s);
      await waitForConnect(s);
    },
    onStep,
  );
  if (opts.registerShopConnector) await timed('connector shop-cdc', () => registerConnector(s), onStep);
}

/** Every managed process of a component: Kafka is one per node. */
export function processesOf(s: StackSettings, c: Component): ManagedProcess[] {
  return c === 'kafka' ? kafkaNodes(s).map((n) => kafkaProcess(s, n.node)) : [processOf(s, c)];
}

/** Stops only the processes this stack started (by pid file): the apps, then the stack in reverse order. */
export async function stackDown(s: StackSettings, logger: Logger): Promise<void> {
  for (const a of [...APPS].reverse()) if (await stopApp(s, a.name)) logger.info('stopped', { component: a.name });
  for (const c of [...COMPONENTS].reverse()) {
    // Brokers stop together: one left alone would wait for its peers' controlled shutdown answers.
    const stopped = await Promise.all(processesOf(s, c).map(async (p) => ((await stopProcess(p)) ? p.name : '')));
    for (const name of stopped.filter(Boolean)) logger.info('stopped', { component: name });
  }
}

/** Removes all state (data, logs): the next `up` starts from nothing. */
export async function stackReset(s: StackSettings, logger: Logger): Promise<void> {
  await stackDown(s, logger);
  rmSync(s.dir, { recursive: true, force: true });
}

export interface ComponentStatus {
  component: string;
  pid?: number;
  rssMiB?: number;
  healthy: boolean;
  detail?: string;
}

async function probe(s: StackSettings, c: Component): Promise<{ healthy: boolean; detail?: string }> {
  try {
    if (c === 'mariadb') {
      const conn = await rootConnection(s);
      const [rows] = await conn.query('SELECT @@version AS v, @@binlog_format AS f');
      await conn.end();
      const r = (rows as { v: string; f: string }[])[0]!;
      return { healthy: true, detail: `MariaDB ${r.v}, binlog ${r.f}, port ${s.db.port}` };
    }
    if (c === 'kafka') return { healthy: await kafkaHealthy(s), detail: `ports ${kafkaBrokers(s).join(', ')}` };
    const client = createConnectClient({ url: connectUrl(s) });
    const names = await client.list();
    const states = await Promise.all(names.map((n) => client.status(n).then(describe)));
    return { healthy: true, detail: `REST ${connectUrl(s)}; ${states.join('; ') || 'no connectors'}` };
  } catch (err) {
    return { healthy: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

const describe = (st: ConnectorStatus) =>
  `${st.name} ${st.connector.state} [${st.tasks.map((t) => `task ${t.id} ${t.state}`).join(', ')}]`;

export async function stackStatus(s: StackSettings): Promise<ComponentStatus[]> {
  const rows = COMPONENTS.flatMap((c) => processesOf(s, c).map((p) => ({ c, p })));
  return Promise.all(
    rows.map(async ({ c, p }) => {
      const pid = runningPid(p);
      if (!pid) return { component: p.name, healthy: false, detail: 'not running' };
      return { component: p.name, pid, rssMiB: residentMiB(pid), ...(await probe(s, c)) };
    }),
  );
}

/** The project's own processes (only those started, by `npm start` or `features start`). */
export async function appsStatus(s: StackSettings, env: NodeJS.ProcessEnv) {
  return Promise.all(
    APPS.map(async ({ name: app }) => {
      const pid = runningPid(appProcess(s, app));
      if (!pid) return { app, healthy: false, detail: 'not running' };
      const ok = await appHealthy(app, env);
      const where = ok ? appUrl(app, env, app === 'web' ? '/' : '/metrics') : `unhealthy at ${appUrl(app, env)}`;
      const detail = `${where}; ${describeRestarts(appRestarts(s, app))}`;
      return { app, pid, rssMiB: treeResidentMiB(pid), healthy: ok, detail };
    }),
  );
}
