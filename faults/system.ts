import { randomBytes } from 'node:crypto';
import type { Logger } from '../core/logger.ts';
import type { DbConfig } from '../core/config/db-config.ts';
import { createPool, type Pool } from '../prisma/db/pool.ts';
import { rootConnection } from '../stack/mariadb.ts';
import { connectUrl, kafkaBrokers, type StackSettings } from '../stack/settings.ts';
import { createConnectClient } from '../connect/connector.ts';
import { stackUp } from '../stack/stack.ts';
import { startApp, stopApp } from '../stack/apps.ts';
import { createScratchDatabase, type TestDatabase } from '../e2e/harness/scratch-database.ts';
import { startScratchCdc, type TestCdc } from '../e2e/harness/scratch-cdc.ts';
import { startTcpProxy, type TcpProxy } from '../e2e/harness/tcp-proxy.ts';
import { seedGeneratedShop } from '../e2e/harness/generated-shop.ts';
import { featureAppEnv } from '../e2e/harness/feature-app-env.ts';
import { FEATURE_MIGRATIONS } from '../consumers/feature-store/feature-migrations.ts';
import type { FeatureConsumerConfig } from '../consumers/feature-store/config.ts';
import { startServing, type Serving } from './serving.ts';

/** Everything the faults act on and the checker reads. */
export interface SystemUnderTest {
  stack: StackSettings;
  shop: TestDatabase;
  store: TestDatabase;
  /** The shop's writer: may write while the server is read-only (READ_ONLY ADMIN), as a primary's app would elsewhere. */
  writer: Pool;
  cdc: TestCdc;
  /** The feature consumer's only way to its store: a fault can black-hole it. */
  storeProxy: TcpProxy;
  features: FeatureConsumerConfig;
  featuresEnv: NodeJS.ProcessEnv;
  startFeatures(): Promise<void>;
  /** Scorer and materializer, fed by the feature consumer's topic. */
  serving: Serving;
  /** Sweeps the faults asked for, with the shoppers each had to cover (the store's rows at request time). */
  sweeps: SweepRequest[];
  close(): Promise<void>;
}

export interface SweepRequest {
  runId: string;
  /** The fault it belongs to (index in the schedule). */
  index: number;
  users: number[];
  /** ms since epoch: a live recommendation produced after this excuses the sweep from that shopper. */
  requestedAt: number;
  /** Shoppers scored and partitions done (of 3) when the scorer was killed: < 3 means mid-sweep. */
  atKill?: { scored: number; partitionsDone: number };
}

async function createWriter(stack: StackSettings, database: string): Promise<{ pool: Pool; drop(): Promise<void> }> {
  const user = `faults_${randomBytes(3).toString('hex')}`;
  const password = randomBytes(12).toString('base64url');
  const root = await rootConnection(stack);
  try {
    await root.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [user, password]);
    await root.query(`GRANT ALL PRIVILEGES ON \`${database}\`.* TO ?@'127.0.0.1'`, [user]);
    await root.query(`GRANT READ_ONLY ADMIN ON *.* TO ?@'127.0.0.1'`, [user]);
  } finally {
    await root.end();
  }
  const db: DbConfig = { host: '127.0.0.1', port: stack.db.port, user, password, database };
  const pool = createPool(db, { connectionLimit: 8 });
  return {
    pool,
    async drop() {
      await pool.end().catch(() => {});
      const conn = await rootConnection(stack);
      await conn.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [user]).finally(() => conn.end());
    },
  };
}

/** The 3-broker stack, a generated shop with its connector, an empty feature store and the feature consumer. */
export async function startSystem(
  stack: StackSettings,
  opts: {
    shoppers: number;
    seed: number;
    ports: { features: number; scoring: number; materializer: number };
    logger: Logger;
    onStep?: (s: string) => void;
  },
): Promise<SystemUnderTest> {
  const step = opts.onStep ?? (() => {});
  await stackUp(stack, opts.logger, { registerShopConnector: false, onStep: (s, ms) => step(`${s} ${ms} ms`) });
  // Connectors of an interrupted run would keep streaming their databases' binlog into this run's cluster.
  const connect = createConnectClient({ url: connectUrl(stack) });
  for (const name of await connect.list()) await connect.remove(name);
  const shop = await createScratchDatabase(stack, 'fshop');
  const store = await createScratchDatabase(stack, 'fstore', FEATURE_MIGRATIONS);
  await seedGeneratedShop(shop.pool, { seed: opts.seed, shoppers: opts.shoppers });
  step('shop generated');
  const writer = await createWriter(stack, shop.name);
  const cdc = await startScratchCdc(stack, shop.name);
  const storeProxy = await startTcpProxy(stack.db.port);
  const prefix = cdc.topics.orders.name.split('.')[0]!;
  const features: FeatureConsumerConfig = {
    brokers: kafkaBrokers(stack),
    store: { ...store.db, port: storeProxy.port },
    cdc: { prefix, database: shop.name },
    groupId: `features-${prefix}`,
    featuresTopic: `${prefix}.features.user.v1`,
    metricsPort: opts.ports.features,
    pendingGraceMs: 60_000,
    publish: true,
    concurrency: 2,
    sessionTimeoutMs: 6_000,
    logLevel: 'warn',
  };
  const featuresEnv = featureAppEnv(features, shop.db);
  const startFeatures = async () => void (await startApp(stack, 'features', featuresEnv));
  // One left by an interrupted run would keep its old databases: startApp reuses a running app.
  await stopApp(stack, 'features');
  await startFeatures();
  step('feature consumer running');
  const serving = await startServing(stack, {
    brokers: features.brokers,
    shop: shop.db,
    store: store.db,
    prefix,
    featuresTopic: features.featuresTopic,
    seed: opts.seed,
    ports: opts.ports,
  });
  step('scorer and materializer running (a test champion)');
  return {
    stack,
    shop,
    store,
    writer: writer.pool,
    cdc,
    storeProxy,
    features,
    featuresEnv,
    startFeatures,
    serving,
    sweeps: [],
    async close() {
      await serving.close().catch(() => {});
      await stopApp(stack, 'features');
      await storeProxy.close();
      await cdc.stop().catch(() => {});
      await writer.drop().catch(() => {});
      await shop.drop().catch(() => {});
      await store.drop().catch(() => {});
    },
  };
}
