import { createKafka } from '../../core/kafka.ts';
import { createPool, type Pool } from '../../prisma/db/pool.ts';
import { migrate } from '../../prisma/db/migrate.ts';
import { loadCategoryMap } from '../../features/category-map.ts';
import { cdcTopics } from '../../streams/cdc/topics.ts';
import type { Logger } from '../../core/logger.ts';
import { AWAIT_LINES_MS, RECOMPUTE_GATHER_MS, type FeatureConsumerConfig } from './config.ts';
import { createFeatureConsumer, type FeatureConsumer } from './consumer.ts';
import { serveMetrics } from '../../core/metrics-server.ts';
import { createFeatureMetrics } from './feature-metrics.ts';
import { ensureInputTopics, ensureOutputTopics } from './topics-setup.ts';
import { FEATURE_MIGRATIONS } from './feature-migrations.ts';

export interface RunningFeatureConsumer {
  consumer: FeatureConsumer;
  pool: Pool;
  metricsPort?: number;
  /** Rejects when the consumer stopped for good: the process must exit so the supervisor restarts it. */
  crashed: Promise<never>;
  stop(): Promise<void>;
}

/** Wires one feature-consumer process from its config: store, Kafka, metrics, consumer. */
export async function startFeatureConsumer(
  config: FeatureConsumerConfig,
  logger: Logger,
): Promise<RunningFeatureConsumer> {
  const pool = createPool(config.store, {
    connectionLimit: config.concurrency + 3,
    queryTimeoutMs: config.dbQueryTimeoutMs,
    connectTimeoutMs: config.dbQueryTimeoutMs ? Math.min(config.dbQueryTimeoutMs, 10_000) : undefined,
  });
  await migrate({ pool, migrationsDir: FEATURE_MIGRATIONS, logger });
  const categories = await loadCategoryMap(config.categoryMapFile);
  const kafka = createKafka({ clientId: 'features', brokers: config.brokers, logger });
  const topics = cdcTopics(config.cdc);
  const admin = kafka.admin();
  await admin.connect();
  await ensureInputTopics(admin, topics);
  await ensureOutputTopics(admin, topics, config.featuresTopic);
  await admin.disconnect();
  const metrics = createFeatureMetrics();
  const consumer = createFeatureConsumer({
    kafka,
    pool,
    topics,
    logger,
    metrics,
    groupId: config.groupId,
    featuresTopic: config.featuresTopic,
    publish: config.publish,
    pendingGraceMs: config.pendingGraceMs,
    settleOnCommit: config.settleOnCommit,
    partitionsConsumedConcurrently: config.concurrency,
    sessionTimeoutMs: config.sessionTimeoutMs,
    recomputeGatherMs: config.recomputeGatherMs ?? RECOMPUTE_GATHER_MS,
    awaitLinesMs: config.awaitLinesMs ?? AWAIT_LINES_MS,
    batch: { numCategories: categories.model.length, modelIndexOf: (name) => categories.modelIndexOfRaw(name) },
  });
  const server = config.metricsPort
    ? await serveMetrics(metrics.registry, config.metricsPort, '127.0.0.1', consumer.health)
    : undefined;
  await consumer.start();
  return {
    consumer,
    pool,
    crashed: consumer.crashed,
    metricsPort: server ? (server.address() as { port: number }).port : undefined,
    async stop() {
      await consumer.stop();
      server?.close();
      await pool.end();
    },
  };
}
