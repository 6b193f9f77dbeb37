import { createKafka } from '../../core/kafka.ts';
import type { Logger } from '../../core/logger.ts';
import { serveMetrics } from '../../core/metrics-server.ts';
import type { Running } from '../../core/run-main.ts';
import { createPool, type Pool } from '../../prisma/db/pool.ts';
import { dlqTopicName } from '../../streams/topic.ts';
import { createTopicsIfMissing } from '../../core/kafka-topics.ts';
import type { MaterializerConfig } from './config.ts';
import { createMaterializer, type Materializer } from './materializer.ts';
import { createMaterializerMetrics, type MaterializerMetrics } from './metrics.ts';

export interface RunningMaterializer extends Running {
  materializer: Materializer;
  metrics: MaterializerMetrics;
  pool: Pool;
  metricsPort?: number;
}

/**
 * Wires one materializer process. The table is migrated with the shop schema (prisma/migrations),
 * so this process only needs the app user's rights on it.
 */
export async function startMaterializer(config: MaterializerConfig, logger: Logger): Promise<RunningMaterializer> {
  const pool = createPool(config.db, { connectionLimit: 2 });
  const kafka = createKafka({ clientId: 'materializer', brokers: config.brokers, logger });
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsIfMissing(admin, [
    { topic: config.topic, numPartitions: 3, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
    { topic: dlqTopicName(config.topic), numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '-1' }] },
  ]);
  await admin.disconnect();
  const metrics = createMaterializerMetrics();
  const materializer = createMaterializer({
    kafka,
    pool,
    metrics,
    logger,
    topic: config.topic,
    groupId: config.groupId,
  });
  const server = config.metricsPort ? await serveMetrics(metrics.registry, config.metricsPort) : undefined;
  await materializer.start();
  return {
    materializer,
    metrics,
    pool,
    crashed: materializer.crashed,
    metricsPort: server ? (server.address() as { port: number }).port : undefined,
    async stop() {
      await materializer.stop();
      server?.close();
      await pool.end();
    },
  };
}
